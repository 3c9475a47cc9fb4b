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
