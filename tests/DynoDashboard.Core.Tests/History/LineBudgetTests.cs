using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

/// <summary>
/// Per-app budgets on a real LiteDB file: each app's own line cap (a flood on one app never evicts another's lines,
/// across a reopen), the overall cap taking from the app holding the most lines first, per-app retention, and the
/// kept-from marks that searches report.
/// </summary>
public sealed class LineBudgetTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private readonly TempHistoryFile _file = new();

    [Fact]
    public void Write_FloodOnOneAppPastItsCap_QuietAppKeepsEveryLineAndBothAreThereAfterAReopen()
    {
        var budgets = new HistoryBudgets { MaxLogLinesPerApp = 1_000, MaxLogLines = 100_000 };
        var busy = new List<LogLine>();
        using (var store = _file.Open(budgets))
        {
            store.Write([Lines("quiet", s_t0, 30)]);
            for (var write = 0; write < 6; write++)
            {
                var batch = Lines("busy", s_t0.AddMinutes(1 + write), 700);
                busy.AddRange(batch.Lines);
                store.Write([batch]);
            }
        }

        using var reopened = _file.Open(budgets);

        Assert.Equal(["busy", "quiet"], reopened.GetApps());
        Assert.Equal(30, reopened.GetLines("quiet", 10_000).Count);
        Assert.Null(reopened.GetLinesKept("quiet"));
        var newest = busy.OrderByDescending(l => l.Time).Take(1_000).ToList();
        Assert.Equal(newest.Select(l => l.Message), reopened.GetLines("busy", 10_000).Select(l => l.Message));
        var kept = Assert.IsType<LinesKept>(reopened.GetLinesKept("busy"));
        Assert.Equal(LinesDeletedBy.AppCap, kept.DeletedBy);
        Assert.Equal(busy[^1_001].Time.AddTicks(1), kept.From); // just past the newest line deleted
    }

    [Fact]
    public void Write_FloodThenReseed_QuietAppIsListedInTheLiveStoreWithItsLines()
    {
        var budgets = new HistoryBudgets { MaxLogLinesPerApp = 500, MaxLogLines = 100_000 };
        using (var store = _file.Open(budgets))
        {
            store.Write([Lines("quiet", s_t0, 10)]);
            for (var write = 0; write < 10; write++)
            {
                store.Write([Lines("busy", s_t0.AddDays(2).AddMinutes(write), 400)]);
            }
        }

        using var reopened = _file.Open(budgets);
        var live = new LiveStore(new LiveStoreOptions());
        HistorySeeder.Seed(reopened, live, new LiveStoreOptions());

        Assert.Equal(["busy", "quiet"], live.GetApps().Select(a => a.Name));
        Assert.Equal(10, live.GetRecentLines("quiet", 100)!.Count);
        Assert.Equal(500, live.GetRecentLines("busy", 10_000)!.Count);
    }

    [Fact]
    public void Write_OverTheOverallCap_TakesFromTheAppHoldingTheMostLinesDownToAnEqualShare()
    {
        using var store = _file.Open(new HistoryBudgets { MaxLogLinesPerApp = 10_000, MaxLogLines = 1_000 });
        store.Write([Lines("small", s_t0, 100)]);
        store.Write([Lines("middle", s_t0.AddMinutes(1), 300)]);
        store.Write([Lines("large", s_t0.AddMinutes(2), 2_000)]);

        // 2,400 lines, 1,400 too many: the largest alone gives them (down to 600, still above the middle one).
        Assert.Equal((100, 300, 600), Counts(store));
        Assert.Equal(LinesDeletedBy.DiskCap, store.GetLinesKept("large")?.DeletedBy);
        Assert.Null(store.GetLinesKept("middle"));

        store.Write([Lines("middle", s_t0.AddMinutes(3), 500)]);

        // 1,500 lines: the two largest (800 and 600) come down to 450 each; the small app keeps every line.
        Assert.Equal((100, 450, 450), Counts(store));
        Assert.Null(store.GetLinesKept("small"));
        Assert.Equal(450, store.GetLines("middle", 10_000).Count);
        Assert.Equal(LinesDeletedBy.DiskCap, store.GetLinesKept("middle")?.DeletedBy);

        static (long, long, long) Counts(LiteDbHistoryStore store) =>
            (store.StoredLineCount("small"), store.StoredLineCount("middle"), store.StoredLineCount("large"));
    }

    [Fact]
    public void Write_AppWithItsOwnCap_KeepsThatManyWhileOthersKeepTheDefault()
    {
        using var store = _file.Open(new HistoryBudgets
        {
            MaxLogLinesPerApp = 300,
            MaxLogLines = 100_000,
            Apps = new Dictionary<string, AppHistoryBudget> { ["chatty"] = new(MaxLogLines: 50) },
        });

        store.Write([Lines("chatty", s_t0, 400), Lines("other", s_t0, 400)]);

        Assert.Equal(50, store.GetLines("chatty", 1_000).Count);
        Assert.Equal(300, store.GetLines("other", 1_000).Count);
    }

    [Fact]
    public void SweepExpired_PerAppRetention_EachAppKeepsItsOwnDaysAndAnAppLeftWithNothingIsNoLongerListed()
    {
        var now = s_t0.AddDays(60);
        var budgets = new HistoryBudgets
        {
            RetentionDays = 7,
            Apps = new Dictionary<string, AppHistoryBudget> { ["keeper"] = new(RetentionDays: 30), ["brief"] = new(RetentionDays: 1) },
        };
        double[] ages = [20, 3, 0.1]; // days before now
        using (var store = _file.Open(budgets))
        {
            foreach (var app in new[] { "keeper", "normal", "brief" })
            {
                foreach (var days in ages)
                {
                    store.Write([Everything(app, now.AddDays(-days))]); // a block per write: each age its own block
                }
            }

            store.Write([Everything("gone", now.AddDays(-20))]);

            while (store.SweepExpired(now, 3) == 3)
            {
                // small steps, so that a sweep spanning several calls is checked too
            }
        }

        using var reopened = _file.Open(budgets);

        Assert.Equal(["brief", "keeper", "normal"], reopened.GetApps());
        Assert.Equal(ages, Kept(reopened, "keeper"));
        Assert.Equal(ages[1..], Kept(reopened, "normal"));
        Assert.Equal(ages[2..], Kept(reopened, "brief"));
        Assert.Null(reopened.GetLinesKept("keeper"));
        var normal = Assert.IsType<LinesKept>(reopened.GetLinesKept("normal"));
        Assert.Equal(LinesDeletedBy.Retention, normal.DeletedBy);
        Assert.InRange(normal.From, now.AddDays(-20), now.AddDays(-7));
        Assert.False(reopened.HasDyno("gone", new DynoName("web.1")));

        // Per kind: the days whose sample, rollup, event and line are all still there.
        static double[] Kept(LiteDbHistoryStore store, string app)
        {
            var samples = store.GetSeries(app, new DynoName("web.1"), RuntimeMetric.MemoryRss, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
            var lines = store.GetLines(app, 100);
            var events = store.GetEvents(app, null, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 100);
            Assert.Equal(samples.Count, lines.Count);
            Assert.Equal(samples.Count, events.Count);
            return [.. lines.Select(l => Math.Round((s_t0.AddDays(60) - l.Time).TotalDays, 1)).Order().Reverse()];
        }
    }

    private static HistoryBatch Lines(string app, DateTimeOffset start, int count)
    {
        var batch = new HistoryBatch(app);
        for (var i = 0; i < count; i++)
        {
            batch.Lines.Add(new LogLine(start.AddMilliseconds(i), "app", "web.1", new DynoName("web.1"), LineKind.App, $"{app} {start:HHmm} {i}"));
        }

        return batch;
    }

    /// <summary>One of each kind of fact at <paramref name="time"/>: a sample, a request, an event and a line.</summary>
    private static HistoryBatch Everything(string app, DateTimeOffset time)
    {
        var batch = new HistoryBatch(app);
        var dyno = new DynoName("web.1");
        batch.Samples.Add(new SampleFact(dyno, null, RuntimeSample.Empty(time) with { MemoryRssMb = 100 }));
        batch.Requests.Add(new RouterFact(time, dyno, 200, 1, 20, 512, null));
        batch.Events.Add(TestLines.StateChanged(time, "web.1", "starting", "up"));
        batch.Lines.Add(new LogLine(time, "app", "web.1", dyno, LineKind.App, $"{app} line"));
        return batch;
    }

    public void Dispose() => _file.Dispose();
}
