using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

/// <summary>
/// Log lines stored in blocks: every field round-trips, a time-range read over many blocks with late arrivals gives
/// what a plain newest-first filter over all lines gives, MaxLogLines trims to the line (rewriting a block), and
/// files with one document per line still read.
/// </summary>
public sealed class LineBlockTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private readonly TempHistoryFile _file = new();

    [Fact]
    public void EncodeDecode_WithAndWithoutDyno_RoundTrips()
    {
        LogLine[] lines =
        [
            new(s_t0.AddTicks(3), "app", "web.1", new DynoName("web.1"), LineKind.App, "Completed 200 OK ✓"),
            new(s_t0, "", "", null, LineKind.Raw, ""),
        ];

        Assert.Equal(lines, LiteDbHistoryStore.DecodeLines(LiteDbHistoryStore.EncodeLines(lines)));
    }

    [Fact]
    public void EncodeLines_BlockOfManyNamesThenASmallOne_EachReadsBackWithItsOwnTable()
    {
        var many = Enumerable.Range(0, 300).Select(i => new LogLine(s_t0.AddTicks(i), $"src{i}", $"proc{i % 7}",
            i % 3 == 0 ? null : new DynoName($"web.{i}"), LineKind.App, $"line {i}")).ToList();
        LogLine[] few = [new(s_t0, "app", "web.1", new DynoName("web.1"), LineKind.App, "after")];

        var first = LiteDbHistoryStore.EncodeLines(many);
        var second = LiteDbHistoryStore.EncodeLines(few);

        Assert.Equal(many, LiteDbHistoryStore.DecodeLines(first));
        Assert.Equal(few, LiteDbHistoryStore.DecodeLines(second));
        Assert.Equal(second, LiteDbHistoryStore.EncodeLines(few));
    }

    [Theory]
    [InlineData("Completed 200 OK in 12ms")]
    [InlineData("Zeitüberschreitung ✓ 🚀")]
    [InlineData("")]
    public void FromUtf8_LineBytes_SameLineAndSameStoredBytesAsFromTheString(string message)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(message);
        var dyno = new DynoName("web.1");

        var fromBytes = LogLine.FromUtf8(s_t0, "app", "web.1", dyno, LineKind.App, utf8);
        var fromString = new LogLine(s_t0, "app", "web.1", dyno, LineKind.App, message);

        Assert.Equal(message.Length > 0, fromBytes.Utf8Message is not null);
        Assert.Equal(fromString, fromBytes);
        Assert.Equal(fromBytes, fromString);
        Assert.Equal(fromString.GetHashCode(), fromBytes.GetHashCode());
        Assert.Equal(message, fromBytes.Message);
        Assert.Equal(fromString.ToString(), fromBytes.ToString());
        Assert.Equal(LiteDbHistoryStore.EncodeLines([fromString]), LiteDbHistoryStore.EncodeLines([fromBytes]));
    }

    [Fact]
    public void FromUtf8_InvalidUtf8_DecodedAtOnceAsBefore()
    {
        byte[] utf8 = [.. "bad "u8, 0xFF, 0xC3, 0x28];

        var line = LogLine.FromUtf8(s_t0, "app", "web.1", null, LineKind.App, utf8);

        Assert.Null(line.Utf8Message);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(utf8), line.Message);
    }

    [Fact]
    public void Equals_EveryPropertyTakesPart()
    {
        var baseline = LogLine.FromUtf8(s_t0, "app", "web.1", new DynoName("web.1"), LineKind.App, "hello"u8);
        LogLine[] changed =
        [
            baseline with { Time = s_t0.AddTicks(1) }, baseline with { Source = "heroku" }, baseline with { ProcId = "web.2" },
            baseline with { Dyno = new DynoName("web.2") }, baseline with { Dyno = null }, baseline with { Kind = LineKind.Raw },
            baseline with { Message = "hello!" },
        ];

        Assert.Equal(6, typeof(LogLine).GetProperties().Length);
        Assert.All(changed, line => Assert.NotEqual(baseline, line));
        Assert.Equal(baseline, baseline with { });
        Assert.Equal(changed[^1], LiteDbHistoryStore.DecodeLines(LiteDbHistoryStore.EncodeLines([changed[^1]]))[0]);
    }

    [Fact]
    public void GetLines_ManyBlocksWithLateArrivals_SameAsFilteringEveryLineNewestFirst()
    {
        using var store = _file.Open();
        var all = new List<LogLine>();
        var random = new Random(9);
        for (var write = 0; write < 30; write++)
        {
            var batch = new HistoryBatch(write % 5 == 0 ? "other" : "myapp");
            for (var i = 0; i < 400; i++) // more than one block per write
            {
                var time = s_t0.AddSeconds((write * 4) + (i * 0.01) - (random.Next(20) == 0 ? random.Next(100) : 0));
                batch.Lines.Add(new LogLine(time, "app", "web.1", new DynoName("web.1"), LineKind.App, $"line {write}/{i}"));
            }

            if (batch.App == "myapp")
            {
                all.AddRange(batch.Lines);
            }

            store.Write([batch]);
        }

        foreach (var (from, before, limit) in new (double, double, int)[] { (-200, 200, 50), (10, 60, 100_000), (100, 110, 7), (500, 600, 5) })
        {
            var expected = all.Where(l => l.Time >= s_t0.AddSeconds(from) && l.Time < s_t0.AddSeconds(before))
                .OrderByDescending(l => l.Time).Take(limit).Select(l => l.Time);

            var actual = store.GetLines("myapp", s_t0.AddSeconds(from), s_t0.AddSeconds(before), limit);

            Assert.Equal(expected, actual.Select(l => l.Time));
        }
    }

    [Fact]
    public void GetLines_FileWithPerLineDocumentsFromBeforeBlocks_MergesThemAndTrimsThemFirst()
    {
        Directory.CreateDirectory(_file.Folder);
        using (var db = new LiteDB.LiteDatabase(_file.Path))
        {
            db.GetCollection(LiteDbHistoryStore.LinesName, LiteDB.BsonAutoId.Int64).Insert(
                HistoryDocuments.FromLine("myapp", new LogLine(s_t0, "app", "web.1", null, LineKind.App, "old shape")));
        }

        using var store = _file.Open(maxLogLines: 2);
        var batch = new HistoryBatch("myapp");
        batch.Lines.Add(new LogLine(s_t0.AddSeconds(1), "app", "web.1", null, LineKind.App, "block shape"));
        store.Write([batch]);

        Assert.Equal(["block shape", "old shape"], store.GetLines("myapp", 10).Select(l => l.Message));

        var more = new HistoryBatch("myapp");
        more.Lines.Add(new LogLine(s_t0.AddSeconds(2), "app", "web.1", null, LineKind.App, "newer"));
        store.Write([more]);

        Assert.Equal(["newer", "block shape"], store.GetLines("myapp", 10).Select(l => l.Message));
    }

    public void Dispose() => _file.Dispose();
}
