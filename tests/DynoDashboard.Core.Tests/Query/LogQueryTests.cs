using DynoDashboard.Core.Query;

namespace DynoDashboard.Core.Tests.Query;

/// <summary>The filter language as a table: query → the ids of <see cref="QueryCorpus"/> lines it matches.</summary>
public sealed class LogQueryTests
{
    [Theory]
    // Free text and phrases: case-insensitive substrings of the message.
    [InlineData("timeout", "r3")]
    [InlineData("TIMEOUT", "r3")]
    [InlineData("\"Memory quota\"", "e1")]
    [InlineData("\"order created\"", "a1")]
    [InlineData("weekly digest", "a2")]
    [InlineData("Error", "r3 r4 e1 a3 l10")]
    // Line fields.
    [InlineData("dyno:web.2", "r2 r3 rt1 rt2 e1 e2 a3")]
    [InlineData("dyno:web", "r1 r2 r3 r4 rt1 rt2 rt3 e1 e2 e3 a1 a3")]
    [InlineData("dyno:web.1|worker.1", "r1 r4 rt3 e3 a1 a2")]
    [InlineData("dyno:we", "")]
    [InlineData("code:H12", "r3")]
    [InlineData("code:r14", "e1")]
    [InlineData("code:H", "r3 r4")]
    [InlineData("code:L10", "l10")]
    [InlineData("code:H12|R14", "r3 e1")]
    [InlineData("kind:router", "r1 r2 r3 r4")]
    [InlineData("kind:runtime|event", "rt1 rt2 rt3 e1 e2 e3 e4 l10")]
    [InlineData("source:app", "e4 a1 a2 a3")]
    [InlineData("proc:api", "e4")]
    // Logfmt keys: text equality.
    [InlineData("status=503", "r3 r4")]
    [InlineData("status!=503", "r1 r2")]
    [InlineData("method=post", "r2")]
    [InlineData("path=\"/api/Schlachter 1951/books\"", "r4")]
    [InlineData("msg=\"order created\"", "a1")]
    [InlineData("fwd=10.0.0.4,10.0.0.5", "r4")]
    [InlineData("user=alice", "a1")]
    [InlineData("dyno=web.2", "r2 r3")]
    [InlineData("code=H13", "r4")]
    [InlineData("order_id=77", "a1")]
    // Numbers with Heroku's units.
    [InlineData("status>=500", "r3 r4")]
    [InlineData("status<300", "r1 r2")]
    [InlineData("service>5000ms", "r2 r3")]
    [InlineData("service>5s", "r2 r3")]
    [InlineData("service>5000", "r2 r3")]
    [InlineData("service=30s", "r3")]
    [InlineData("service<=22ms", "r1 r4")]
    [InlineData("service>5MB", "")]
    [InlineData("connect<1ms", "r4")]
    [InlineData("sample#memory_swap>10MB", "rt2")]
    [InlineData("sample#memory_swap>10", "rt2")]
    [InlineData("sample#memory_swap>=0.1GB", "rt2")]
    [InlineData("sample#memory_swap<1kB", "rt3")]
    [InlineData("sample#memory_total>1GB", "")]
    [InlineData("sample#memory_pgpgin>50000pages", "rt2")]
    [InlineData("sample#memory_pgpgin>50000MB", "")]
    [InlineData("sample#load_avg_1m>2", "rt1")]
    [InlineData("bytes>600", "r1 r2")]
    [InlineData("bytes>1kB", "")]
    [InlineData("bytes>=1kB", "r2")]
    [InlineData("duration>1s", "a3")]
    // Boolean structure.
    [InlineData("NOT status=503", "r1 r2 rt1 rt2 rt3 e1 e2 e3 e4 a1 a2 a3 l10")]
    [InlineData("level=error OR code:H12", "r3 a3")]
    [InlineData("weekly OR timeout", "r3 a2")]
    [InlineData("dyno:web.2 service>5000ms", "r2 r3")]
    [InlineData("dyno:web.2 AND service>5000ms", "r2 r3")]
    [InlineData("dyno:web.2 AND (code:H12 OR kind:runtime)", "r3 rt1 rt2")]
    [InlineData("-kind:router dyno:web.1", "rt3 e3 a1")]
    [InlineData("NOT (kind:router OR kind:runtime) dyno:web.2", "e1 e2 a3")]
    [InlineData("kind:app -(level=info OR level=error)", "a2")]
    // Lower-case "or" is text, not the keyword: "orders", "error", "memory".
    [InlineData("or", "r2 r3 r4 rt2 rt3 e1 a1 a3 l10")]
    public void Matches_QueryOnCorpus_SelectsExpectedLines(string query, string expected)
    {
        var parsed = LogQuery.Parse(query);

        Assert.True(parsed.IsValid, parsed.Error?.ToString());
        var matched = QueryCorpus.Lines.Where(l => parsed.Query.Matches(l.Line)).Select(l => l.Id);
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), matched);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Parse_EmptyQuery_MatchesEveryLine(string? query)
    {
        var parsed = LogQuery.Parse(query);

        Assert.True(parsed.IsValid);
        Assert.All(QueryCorpus.All, line => Assert.True(parsed.Query.Matches(line)));
    }

    [Theory]
    [InlineData("(status=503", 0, "'(' is never closed")]
    [InlineData("status=503)", 10, "')' without a matching '('")]
    [InlineData("status>", 7, "a value expected")]
    [InlineData("status=", 7, "a value expected")]
    [InlineData("status>abc", 7, "a number expected")]
    [InlineData("service>5xyz", 8, "a number expected")]
    [InlineData("timeout \"unterminated", 8, "'\"' is never closed")]
    [InlineData("path=\"/a b", 5, "'\"' is never closed")]
    [InlineData("path=\"/a\"x", 5, "text after the closing quote")]
    [InlineData("a OR", 4, "a search term expected")]
    [InlineData("OR a", 0, "a search term expected")]
    [InlineData("a AND", 5, "a search term expected after AND")]
    [InlineData("NOT", 3, "a search term expected after NOT")]
    [InlineData("a ()", 3, "a search term expected")]
    [InlineData("kind:routr", 5, "unknown kind 'routr'")]
    [InlineData("kind:router|bogus", 12, "unknown kind 'bogus'")]
    [InlineData("code:X12", 5, "is not an error code")]
    [InlineData("dyno:web.1|", 11, "a value expected after 'dyno:'")]
    public void Parse_SyntaxError_ReportsPositionAndMessage(string query, int position, string message)
    {
        var parsed = LogQuery.Parse(query);

        Assert.False(parsed.IsValid);
        Assert.Null(parsed.Query);
        Assert.Equal(position, parsed.Error.Position);
        Assert.Contains(message, parsed.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestedTooDeep_ReportsTheFirstLevelTooMany()
    {
        var query = new string('(', 100) + "a" + new string(')', 100);

        var parsed = LogQuery.Parse(query);

        Assert.False(parsed.IsValid);
        Assert.Equal(64, parsed.Error.Position);
    }

    [Fact]
    public void Parse_LongerThanMaximum_ReportsTheLimit()
    {
        var parsed = LogQuery.Parse(new string('a', LogQuery.MaxLength + 1));

        Assert.False(parsed.IsValid);
        Assert.Equal(LogQuery.MaxLength, parsed.Error.Position);
    }

    [Fact]
    public void Matches_CompiledQuery_AllocatesNothingPerLine()
    {
        var queries = new[] { "dyno:web.2 service>5000ms", "timeout", "sample#memory_swap>10MB OR code:H12", "NOT status=503 kind:router|app" }
            .Select(q => LogQuery.Parse(q).Query!)
            .ToArray();
        var lines = QueryCorpus.All.ToArray();
        var matches = Scan();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            matches += Scan();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(matches > 0);

        int Scan()
        {
            var count = 0;
            foreach (var query in queries)
            {
                foreach (var line in lines)
                {
                    count += query.Matches(line) ? 1 : 0;
                }
            }

            return count;
        }
    }
}
