using CsCheck;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Core.Tests.Query;

/// <summary>No input makes the parser or a compiled query throw or run away.</summary>
public sealed class LogQueryPropertyTests
{
    // Pieces that exercise every branch of the grammar, glued together in any order.
    private static readonly string[] s_pieces =
    [
        "(", ")", "\"", "\\", "-", " ", "OR", "AND", "NOT", "|", ":", "=", "!=", ">", "<", ">=", "<=",
        "dyno:", "code:", "kind:", "source:", "proc:", "web.2", "H12", "router", "service", "5000ms", "5s",
        "10MB", "1GB", "kB", "pages", "sample#memory_swap", "path=\"/a b\"", "timeout", "é", "\t",
    ];

    [Fact]
    public void Parse_AnyTokenSoup_NeverThrowsAndCompiledQueryNeverThrows()
    {
        var lines = QueryCorpus.All.ToArray();
        Gen.Int[0, s_pieces.Length - 1].Select(i => s_pieces[i]).Array[0, 30].Select(string.Concat).Sample(text =>
        {
            var parsed = LogQuery.Parse(text);
            Assert.True(parsed.IsValid ^ parsed.Error is not null);
            if (parsed.IsValid)
            {
                foreach (var line in lines)
                {
                    parsed.Query.Matches(line);
                }
            }
            else
            {
                Assert.InRange(parsed.Error.Position, 0, text.Length);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Parse_AnyString_NeverThrows()
    {
        Gen.String[0, 200].Sample(text =>
        {
            var parsed = LogQuery.Parse(text);
            Assert.True(parsed.IsValid || parsed.Error.Position <= text.Length);
        }, iter: 20_000);
    }

    [Theory]
    [InlineData('(')]
    [InlineData('-')]
    [InlineData('"')]
    [InlineData('a')]
    public void Parse_MaximumLengthOfOneCharacter_AnswersWithoutRecursingDeep(char c)
    {
        var parsed = LogQuery.Parse(new string(c, LogQuery.MaxLength));

        Assert.True(parsed.IsValid || parsed.Error.Position < LogQuery.MaxLength);
    }
}
