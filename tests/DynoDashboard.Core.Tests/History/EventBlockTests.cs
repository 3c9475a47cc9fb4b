using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

/// <summary>
/// Events stored in blocks (one document per app per write): every field round-trips, reads over many blocks with
/// late arrivals give exactly what a plain newest-first filter over all events gives, files from before blocks still
/// read, and rename/delete/retention treat blocks like the other documents.
/// </summary>
public sealed class EventBlockTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private readonly TempHistoryFile _file = new();

    [Fact]
    public void EncodeDecode_EveryFieldSetOrMissing_RoundTrips()
    {
        DynoEvent[] events =
        [
            new()
            {
                Time = s_t0.AddTicks(7), Kind = DynoEventKind.RouterError, Dyno = new DynoName("web.2"), Code = ErrorCatalog.H12,
                Description = "Request timeout", Source = "heroku", ProcId = "router", Message = "at=error code=H12 ✓",
                Status = 503, ServiceMs = 30_000, Path = "/slow",
            },
            new()
            {
                Time = s_t0, Kind = DynoEventKind.RuntimeError, Dyno = new DynoName("worker.1"), Code = ErrorCatalog.R14,
                Description = "Memory quota exceeded", Source = "app", ProcId = "worker.1", Message = "Process running mem=870M(170.1%)",
                Incarnation = "heroku.1.abc", MemoryMb = 870, MemoryPercent = 170.1, ExitStatus = 137,
                FromState = "up", ToState = "crashed",
            },
            new() { Time = s_t0, Kind = DynoEventKind.StateChanged, Description = "", ProcId = "", Message = "" },
        ];

        var decoded = LiteDbHistoryStore.DecodeEvents(LiteDbHistoryStore.EncodeEvents(events));

        Assert.Equal(events, decoded);
    }

    [Fact]
    public void GetEvents_ManyBlocksWithLateArrivals_SameAsFilteringEveryEventNewestFirst()
    {
        using var store = _file.Open();
        var all = new List<DynoEvent>();
        var random = new Random(5);
        for (var write = 0; write < 40; write++)
        {
            var events = new List<DynoEvent>();
            for (var i = 0; i < 30; i++)
            {
                // Mostly in order, with a late event now and then from up to two minutes back.
                var time = s_t0.AddSeconds((write * 3) + (i * 0.1) - (random.Next(10) == 0 ? random.Next(120) : 0));
                var code = random.Next(3) == 0 ? ErrorCatalog.H13 : ErrorCatalog.H12;
                events.Add(new DynoEvent
                {
                    Time = time, Kind = DynoEventKind.RouterError, Dyno = new DynoName($"web.{random.Next(1, 4)}"), Code = code,
                    Description = code.Title, ProcId = "router", Message = $"event {write}/{i}",
                });
            }

            all.AddRange(events);
            var batch = new HistoryBatch("myapp");
            batch.Events.AddRange(events);
            store.Write([batch]);
        }

        foreach (var (dyno, code, from, before, limit) in new (DynoName?, string?, double, double, int)[]
                 {
                     (null, null, -200, 200, 25), (new DynoName("web.2"), null, -200, 200, 1_000), (null, "h13", 30, 90, 7),
                     (new DynoName("web.1"), "H12", 0, 60, 3), (null, null, 100, 200, 5), (null, null, 1_000, 2_000, 5),
                 })
        {
            var expected = all
                .Where(e => e.Time >= s_t0.AddSeconds(from) && e.Time < s_t0.AddSeconds(before))
                .Where(e => dyno is null || e.Dyno == dyno)
                .Where(e => code is null || string.Equals(e.Code!.Code, code, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(e => e.Time).Take(limit).Select(e => e.Time);

            var actual = store.GetEvents("myapp", dyno, code, s_t0.AddSeconds(from), s_t0.AddSeconds(before), limit);

            Assert.Equal(expected, actual.Select(e => e.Time));
        }
    }

    [Fact]
    public void GetEvents_FileWithPerEventDocumentsFromBeforeBlocks_MergesThemWithBlocks()
    {
        var old = new DynoEvent
        {
            Time = s_t0, Kind = DynoEventKind.RouterError, Dyno = new DynoName("web.1"), Code = ErrorCatalog.H12,
            Description = "Request timeout", ProcId = "router", Message = "old shape",
        };
        Directory.CreateDirectory(_file.Folder);
        using (var db = new LiteDB.LiteDatabase(_file.Path))
        {
            db.GetCollection(LiteDbHistoryStore.EventsName, LiteDB.BsonAutoId.Int64).Insert(HistoryDocuments.FromEvent("myapp", old));
        }

        using var store = _file.Open();
        var batch = new HistoryBatch("myapp");
        batch.Events.Add(old with { Time = s_t0.AddSeconds(1), Message = "block shape" });
        store.Write([batch]);

        var events = store.GetEvents("myapp", null, null, s_t0.AddMinutes(-1), s_t0.AddMinutes(1), 10);

        Assert.Equal(["block shape", "old shape"], events.Select(e => e.Message));
    }

    [Fact]
    public void RenameAndDelete_AppWithEventBlocks_MoveAndRemoveThem()
    {
        using var store = _file.Open();
        var batch = new HistoryBatch("old-name");
        batch.Events.Add(TestLines.StateChanged(s_t0, "web.1", "up", "crashed"));
        store.Write([batch]);

        store.RenameApp("old-name", "new-name");
        var moved = store.GetEvents("new-name", null, null, s_t0.AddMinutes(-1), s_t0.AddMinutes(1), 10);
        store.DeleteApp("new-name");

        Assert.Single(moved);
        Assert.Empty(store.GetEvents("old-name", null, null, s_t0.AddMinutes(-1), s_t0.AddMinutes(1), 10));
        Assert.Empty(store.GetEvents("new-name", null, null, s_t0.AddMinutes(-1), s_t0.AddMinutes(1), 10));
    }

    public void Dispose() => _file.Dispose();
}
