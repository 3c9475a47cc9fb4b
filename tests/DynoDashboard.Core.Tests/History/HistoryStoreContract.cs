using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.History.Postgres;
using DynoDashboard.Core.Tests.Live;
using DynoDashboard.TestServers;
using static DynoDashboard.Core.Tests.History.LiteDbHistoryStoreTests;

namespace DynoDashboard.Core.Tests.History;

/// <summary>
/// What every history store must do, whatever it keeps its data in (issue 17: the pages and the API behave the
/// same whichever store is active). Each store's class derives from this and says how to open its store; every
/// fact here runs once per store. Counts that depend on a store's layout (documents vs rows) are not part of it.
/// </summary>
public abstract class HistoryStoreContract<TStore>
    where TStore : IHistoryStore, IOperationsLog, IHistoryAppStore
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private static readonly DynoName s_web1 = new("web.1");
    private static readonly DynoName s_web2 = new("web.2");

    /// <summary>Opens the store on this test's own history (a file or a database of its own). Called again after
    /// the previous store was disposed, it opens the same history: that is how the suite checks what survives.</summary>
    protected abstract TStore CreateStore(int maxLogLines = 100_000);

    [StoreFact]
    public void Samples_HalvesInSeparateWrites_MergeIntoOneReadingThatSurvivesReopen()
    {
        using (var store = CreateStore())
        {
            store.Write([Batch("myapp", b => TestLines.Load(b, s_t0, "web.1", 0.5))]);
            store.Write([Batch("myapp", b => TestLines.Memory(b, s_t0.AddMilliseconds(300), "web.1", 250))]);
        }

        using var reopened = CreateStore();
        var sample = Assert.Single(reopened.ReadSamples(s_t0.AddHours(-1)));

        Assert.Equal(("myapp", s_web1, s_t0), (sample.App, sample.Dyno, sample.Sample.Time));
        Assert.Equal(0.5, sample.Sample.Load1m);
        Assert.Equal(250, sample.Sample.MemoryRssMb);
        Assert.Equal("heroku.1.aaaa", sample.Incarnation);
        Assert.Equal([new SeriesPoint(s_t0, 250)],
            reopened.GetSeries("myapp", s_web1, RuntimeMetric.MemoryRss, s_t0.AddMinutes(-1), s_t0.AddMinutes(1)));
    }

    [StoreFact]
    public void GetSeries_OnlyTheAskedDyno_InTimeOrderInsideTheClosedRange()
    {
        using var store = CreateStore();
        // Written out of time order and across an hour: the series follows time.
        store.Write([Batch("myapp", b =>
        {
            foreach (var i in new[] { 4, 0, 8, 2, 6, 1, 3, 5, 7 })
            {
                TestLines.Load(b, s_t0.AddMinutes(55).AddSeconds(60 * i), "web.1", i);
                TestLines.Load(b, s_t0.AddMinutes(55).AddSeconds(60 * i), "web.10", 100 + i);
            }
        })]);

        var points = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0.AddMinutes(56), s_t0.AddMinutes(62));

        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7], points.Select(p => p.V));
        Assert.Equal([.. Enumerable.Range(56, 7).Select(m => s_t0.AddMinutes(m))], points.Select(p => p.T));
        Assert.Empty(store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0.AddMinutes(62), s_t0.AddMinutes(56)));
        Assert.Empty(store.GetSeries("myapp", s_web2, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(2)));
        Assert.Empty(store.GetSeries("other", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(2)));
    }

    [StoreFact]
    public void GetSeries_ReadingsWithoutTheMetric_AreLeftOutNotNaN()
    {
        using var store = CreateStore();
        store.Write([Batch("myapp", b =>
        {
            TestLines.Load(b, s_t0, "web.1", 0.5);
            TestLines.Memory(b, s_t0.AddSeconds(20), "web.1", 300);
            TestLines.Load(b, s_t0.AddSeconds(40), "web.1", 0.7);
        })]);

        var load = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddMinutes(1));
        var memory = store.GetSeries("myapp", s_web1, RuntimeMetric.MemoryRss, s_t0, s_t0.AddMinutes(1));

        Assert.Equal([new SeriesPoint(s_t0, 0.5), new SeriesPoint(s_t0.AddSeconds(40), 0.7)], load);
        Assert.Equal([new SeriesPoint(s_t0.AddSeconds(20), 300)], memory);
        Assert.Empty(store.GetSeries("myapp", s_web1, RuntimeMetric.MemorySwap, s_t0, s_t0.AddMinutes(1)));
    }

    [StoreFact]
    public void HasDynoAndGetApps_FromSamplesOrRollups_AppsInOrdinalOrder()
    {
        using var store = CreateStore();
        Assert.Empty(store.GetApps());

        store.Write([
            Batch("b-app", b => TestLines.Load(b, s_t0, "web.1", 0.5)),
            Batch("a-app", b => TestLines.Router(b, s_t0, "web.2")),
            Batch("ab", b => TestLines.App(b, s_t0, "web.1", "hello")),
            new HistoryBatch("empty"),
        ]);

        Assert.Equal(["a-app", "ab", "b-app"], store.GetApps());
        Assert.True(store.HasDyno("b-app", s_web1));
        Assert.True(store.HasDyno("a-app", s_web2));
        Assert.False(store.HasDyno("a-app", s_web1));
        Assert.False(store.HasDyno("b-app", new DynoName("web.10")));
        Assert.False(store.HasDyno("ab", s_web1));
    }

    [StoreFact]
    public void ReadRollups_RequestsOverTwoMinutesAndTwoWrites_TenSecondBucketsWithCountsCodesAndLatency()
    {
        using var store = CreateStore();
        store.Write([Batch("myapp", b =>
        {
            TestLines.Router(b, s_t0.AddSeconds(1), "web.1", service: 20);
            TestLines.Router(b, s_t0.AddSeconds(2), "web.1", status: 503, service: 30000, code: TestLines.H12);
        })]);
        // A later write into the same 10-s bucket adds to it, not replaces it.
        store.Write([Batch("myapp", b =>
        {
            TestLines.Router(b, s_t0.AddSeconds(3), "web.1", status: 404, service: 40);
            TestLines.Router(b, s_t0.AddSeconds(75), "web.1", service: 10);
            TestLines.Router(b, s_t0.AddSeconds(76), null, status: 503, code: TestLines.H10);
        })]);

        var rollups = store.ReadRollups(s_t0.AddHours(-1)).ToList();

        var web1 = rollups.Where(r => r.Dyno == s_web1).ToList();
        Assert.Equal([s_t0, s_t0.AddSeconds(70)], web1.Select(r => r.Rollup.Start));
        var first = web1[0].Rollup;
        Assert.Equal((3, 1, 1), (first.Requests, first.Errors, first.ErrorsByCode["H12"]));
        Assert.Equal(new StatusClassCounts(0, 1, 0, 1, 1, 0), first.StatusClasses);
        Assert.Equal((30000, 3L), (first.Service.Max, first.Service.Count));
        Assert.Equal(s_t0.AddSeconds(3), web1[0].LastRequest);
        var noDyno = Assert.Single(rollups, r => r.Dyno == DynoName.NoDyno);
        Assert.Equal(1, noDyno.Rollup.ErrorsByCode["H10"]);
        Assert.Equal(["myapp"], rollups.Select(r => r.App).Distinct());
        Assert.Equal([s_t0.AddSeconds(70)], store.ReadRollups(s_t0.AddSeconds(61)).Where(r => r.Dyno == s_web1).Select(r => r.Rollup.Start));
    }

    [StoreFact]
    public void ReadRollups_LateRequestAfterReopen_AddsToTheStoredMinute()
    {
        using (var store = CreateStore())
        {
            store.Write([Batch("myapp", b => TestLines.Router(b, s_t0, "web.1"))]);
        }

        using var reopened = CreateStore();
        reopened.Write([Batch("myapp", b => TestLines.Router(b, s_t0.AddSeconds(5), "web.1"))]);

        Assert.Equal(2, Assert.Single(reopened.ReadRollups(s_t0.AddHours(-1))).Rollup.Requests);
    }

    [StoreFact]
    public void GetEvents_FilteredByDynoCodeAndRange_NewestFirstUpToTheLimit()
    {
        using var store = CreateStore();
        store.Write([Batch("myapp", b =>
        {
            TestLines.Router(b, s_t0, "web.1", status: 503, code: TestLines.H12);
            TestLines.Router(b, s_t0.AddSeconds(1), "web.2", status: 503, code: TestLines.H12);
            TestLines.Router(b, s_t0.AddSeconds(2), "web.1", status: 503, code: TestLines.H13);
            TestLines.Router(b, s_t0.AddSeconds(3), "web.1", status: 503, code: TestLines.H12);
            TestLines.Router(b, s_t0.AddSeconds(3.5), null, status: 503, code: TestLines.H10);
            b.OnDynoEvent(TestLines.StateChanged(s_t0.AddSeconds(4), "web.1", "up", "crashed"));
        }), Batch("other", b => TestLines.Router(b, s_t0, "web.1", status: 503, code: TestLines.H12))]);

        var h12 = store.GetEvents("myapp", s_web1, "h12", s_t0, s_t0.AddMinutes(1), 10);
        var all = store.GetEvents("myapp", null, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10);

        Assert.Equal([s_t0.AddSeconds(3), s_t0], h12.Select(e => e.Time));
        Assert.Same(ErrorCatalog.H12, h12[0].Code);
        Assert.Equal(503, h12[0].Status);
        Assert.Equal([4, 3.5, 3, 2, 1, 0], all.Select(e => (e.Time - s_t0).TotalSeconds));
        Assert.Equal([s_t0.AddSeconds(4), s_t0.AddSeconds(3.5)], store.GetEvents("myapp", null, null, s_t0, s_t0.AddMinutes(1), 2).Select(e => e.Time));
        Assert.Equal("H10", Assert.Single(store.GetEvents("myapp", DynoName.NoDyno, null, s_t0, s_t0.AddMinutes(1), 10)).Code?.Code);
        Assert.Equal(2, store.GetEvents("myapp", null, null, s_t0, s_t0.AddSeconds(2), 10).Count);
        Assert.Empty(store.GetEvents("myapp", null, null, s_t0.AddSeconds(2), s_t0.AddSeconds(2), 10));
        Assert.Empty(store.GetEvents("myapp", null, null, s_t0, s_t0.AddMinutes(1), 0));
        Assert.Empty(store.GetEvents("nobody", null, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10));
    }

    [StoreFact]
    public void GetEvents_EveryFieldRoundTrips()
    {
        var written = new DynoEvent
        {
            Time = s_t0.AddMilliseconds(123.456),
            Dyno = s_web1,
            Kind = DynoEventKind.RuntimeError,
            Code = ErrorCatalog.TryGet("R14", out var r14) ? r14 : null,
            Description = "Memory quota exceeded",
            Source = "app",
            ProcId = "web.1",
            Message = "Error R14 (Memory quota exceeded)",
            Incarnation = "heroku.1.bbbb",
            FromState = "up",
            ToState = "crashed",
            Path = "/slow",
            ExitStatus = 137,
            MemoryMb = 612.5,
            MemoryPercent = 119.6,
            Status = 503,
            ServiceMs = 30001,
        };
        using var store = CreateStore();
        store.Write([Batch("myapp", b => b.OnDynoEvent(written))]);

        var read = Assert.Single(store.GetEvents("myapp", null, null, s_t0, s_t0.AddMinutes(1), 10));

        Assert.NotNull(written.Code);
        Assert.Equal(written, read);
    }

    [StoreFact]
    public void GetLines_BothOverloads_NewestFirstByTimeInsideTheRangeOfThatAppOnly()
    {
        using var store = CreateStore();
        // Written out of time order, as late lines arrive: the result follows time, not arrival.
        store.Write([Batch("myapp", b =>
        {
            foreach (var second in new[] { 5, 1, 3, 2, 4, 0 })
            {
                TestLines.App(b, s_t0.AddSeconds(second), "web.1", $"line {second}");
            }
        }), Batch("other-app", b => TestLines.App(b, s_t0.AddSeconds(3), "web.1", "other"))]);

        var range = store.GetLines("myapp", s_t0.AddSeconds(1), s_t0.AddSeconds(4), 1_000);
        var newest = store.GetLines("myapp", 2);

        Assert.Equal(["line 3", "line 2", "line 1"], range.Select(l => l.Message));
        Assert.Equal(["line 5", "line 4"], newest.Select(l => l.Message));
        Assert.Equal(["line 5", "line 4"], store.GetLines("myapp", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 2).Select(l => l.Message));
        Assert.Equal(new LogLine(s_t0.AddSeconds(5), "app", "web.1", s_web1, LineKind.App, "line 5"), newest[0]);
        Assert.Empty(store.GetLines("myapp", s_t0.AddSeconds(4), s_t0.AddSeconds(4), 10));
        Assert.Empty(store.GetLines("myapp", 0));
        Assert.Equal(["other"], store.GetLines("other-app", 10).Select(l => l.Message));
    }

    [StoreFact]
    public void GetLines_MoreThanMaxLogLines_KeepsOnlyTheNewest()
    {
        using var store = CreateStore(maxLogLines: 50);
        for (var w = 0; w < 4; w++)
        {
            store.Write([Batch("myapp", b =>
            {
                for (var i = 0; i < 30; i++)
                {
                    TestLines.App(b, s_t0.AddSeconds((w * 30) + i), "web.1", $"line {(w * 30) + i}");
                }
            })]);
        }

        var lines = store.GetLines("myapp", 1_000);

        Assert.Equal(50, lines.Count);
        Assert.Equal(("line 119", "line 70"), (lines[0].Message, lines[^1].Message));
    }

    [StoreFact]
    public void JournalCheckpoint_LargestPositionOfAWrite_KeptAcrossWritesWithoutOneAndReopen()
    {
        using (var store = CreateStore())
        {
            Assert.Equal(0, store.ReadJournalCheckpoint());
            var first = Batch("myapp", b => TestLines.Load(b, s_t0, "web.1", 0.5));
            first.JournalPosition = 900;
            var second = Batch("other", b => TestLines.Load(b, s_t0, "web.1", 0.5));
            second.JournalPosition = 1_200;
            store.Write([first, second]);
            Assert.Equal(1_200, store.ReadJournalCheckpoint());

            store.Write([Batch("myapp", b => TestLines.Load(b, s_t0.AddSeconds(20), "web.1", 0.6))]);
        }

        using var reopened = CreateStore();
        Assert.Equal(1_200, reopened.ReadJournalCheckpoint());
        var later = Batch("myapp", b => TestLines.Load(b, s_t0.AddSeconds(40), "web.1", 0.7));
        later.JournalPosition = 1_500;
        reopened.Write([later]);
        Assert.Equal(1_500, reopened.ReadJournalCheckpoint());
    }

    [StoreFact]
    public void Sweep_OlderThanCutoff_GoesInBoundedCallsOverDaysWhileNewerIsKept()
    {
        using var store = CreateStore();
        var day2 = s_t0.AddDays(2);
        foreach (var time in new[] { s_t0.AddHours(-2), s_t0, day2.AddHours(-2), day2.AddHours(2) })
        {
            store.Write([Batch("myapp", b =>
            {
                TestLines.Load(b, time, "web.1", (time - s_t0).TotalHours);
                TestLines.Router(b, time, "web.1");
                TestLines.App(b, time, "web.1", $"at {(time - s_t0).TotalHours}");
                b.OnDynoEvent(TestLines.StateChanged(time, "web.1", "starting", "up"));
            })]);
        }

        // Two days before the cutoff's day, and two hours of that day before it.
        var cutoff = day2.AddHours(-3);
        var first = store.Sweep(cutoff, maxDeletes: 1);
        var calls = 1;
        while (store.Sweep(cutoff, maxDeletes: 1) == 1)
        {
            calls++;
            Assert.True(calls < 100, "the sweep does not end");
        }

        Assert.Equal(1, first);
        Assert.True(calls > 1, "one deletion per call was not a bound");
        Assert.Equal([46.0, 50], store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0.AddDays(-1), s_t0.AddDays(3)).Select(p => p.V));
        Assert.Equal([day2.AddHours(-2), day2.AddHours(2)], store.ReadRollups(s_t0.AddDays(-1)).Select(r => r.Rollup.Start));
        Assert.Equal(["at 50", "at 46"], store.GetLines("myapp", 10).Select(l => l.Message));
        Assert.Equal(2, store.GetEvents("myapp", null, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10).Count);
        Assert.Equal(2, store.ReadSamples(DateTimeOffset.MinValue).Count());
        Assert.Equal(0, store.Sweep(cutoff, 1_000));

        // Within the cutoff's day, a sample hour goes once all of it is outside retention.
        while (store.Sweep(day2.AddHours(1), 1_000) == 1_000)
        {
        }

        Assert.Equal([50.0], store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddDays(3)).Select(p => p.V));
        Assert.Equal(["at 50"], store.GetLines("myapp", 10).Select(l => l.Message));
        Assert.Equal(["myapp"], store.GetApps());
    }

    [StoreFact]
    public void DeleteApp_RemovesEveryFactOfThatAppOnly()
    {
        using var store = CreateStore();
        store.Write([Traffic("gone"), Traffic("kept")]);

        Assert.True(store.DeleteApp("gone") > 0);
        Assert.Equal(0, store.DeleteApp("never-there"));

        Assert.Equal(["kept"], store.GetApps());
        Assert.False(store.HasDyno("gone", s_web1));
        Assert.Empty(store.GetSeries("gone", s_web1, RuntimeMetric.LoadAvg1m, s_t0.AddHours(-1), s_t0.AddHours(1)));
        Assert.Empty(store.GetEvents("gone", null, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10));
        Assert.Empty(store.GetLines("gone", 10));
        Assert.All(store.ReadRollups(DateTimeOffset.MinValue), r => Assert.Equal("kept", r.App));
        Assert.All(store.ReadSamples(DateTimeOffset.MinValue), s => Assert.Equal("kept", s.App));
        Assert.True(store.HasDyno("kept", s_web1));
        Assert.Single(store.GetLines("kept", 10));
    }

    [StoreFact]
    public void RenameApp_MovesEverythingAndSurvivesReopen_RefusesUnknownAndTakenNames()
    {
        using (var store = CreateStore())
        {
            store.Write([Traffic("old"), Traffic("taken")]);

            Assert.Equal(AppRenameResult.UnknownApp, store.RenameApp("nobody", "new"));
            Assert.Equal(AppRenameResult.NameTaken, store.RenameApp("old", "taken"));
            Assert.Equal(AppRenameResult.Renamed, store.RenameApp("old", "new"));
            store.Write([Batch("new", b => TestLines.Load(b, s_t0.AddSeconds(20), "web.1", 0.7))]);
        }

        using var reopened = CreateStore();
        Assert.Equal(["new", "taken"], reopened.GetApps());
        Assert.False(reopened.HasDyno("old", s_web1));
        Assert.Equal([0.5, 0.7], reopened.GetSeries("new", s_web1, RuntimeMetric.LoadAvg1m, s_t0.AddMinutes(-1), s_t0.AddMinutes(1)).Select(p => p.V));
        Assert.Single(reopened.GetEvents("new", null, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10));
        Assert.Single(reopened.GetLines("new", 10));
        Assert.Empty(reopened.GetLines("old", 10));
        Assert.Single(reopened.ReadRollups(DateTimeOffset.MinValue), r => r.App == "new");
    }

    [StoreFact]
    public void AlertRules_SavedReplacedAndDeleted_SurviveReopen()
    {
        var rule = new AlertRule
        {
            Name = "swap",
            Kind = AlertRuleKind.Threshold,
            App = "myapp",
            Scope = "web",
            Metric = "memory_swap",
            Operator = ">=",
            Threshold = 50.5,
            Code = null,
            Count = 3,
            For = TimeSpan.FromMinutes(5),
            Cooldown = TimeSpan.FromMinutes(45),
            Enabled = false,
            RestartDyno = true,
        };
        var pattern = new AlertRule { Name = "h12", Kind = AlertRuleKind.Pattern, Code = "H12", Count = 5 };
        using (var store = CreateStore())
        {
            store.SaveAlertRule(rule with { Threshold = 1 });
            store.SaveAlertRule(pattern);
            store.SaveAlertRule(rule);
            Assert.True(store.DeleteAlertRule("h12"));
            Assert.False(store.DeleteAlertRule("h12"));
            store.SaveAlertRule(pattern);
        }

        using var reopened = CreateStore();
        Assert.Equal([pattern, rule], reopened.GetAlertRules().OrderBy(r => r.Name, StringComparer.Ordinal));
    }

    [StoreFact]
    public void AlertTransitionsAndRestarts_NewestFirstUpToTheLimit_SurviveReopen()
    {
        var transitions = Enumerable.Range(0, 4).Select(i => new AlertTransition(
            "swap", "myapp", i % 2 == 0 ? "web.1" : null, i % 2 == 0 ? AlertState.Firing : AlertState.Resolved,
            s_t0.AddMinutes(i), $"swap {i}", i == 3 ? null : i * 1.5, i % 2 == 0, i == 2)).ToList();
        var restarts = Enumerable.Range(0, 3).Select(i => new RestartRecord(
            s_t0.AddMinutes(i), "myapp", "web.1", i == 0 ? "alice" : "rule swap", i > 0, $"reason {i}", i != 1,
            i == 1 ? 429 : 202, i == 1 ? "rate limited" : "restarted", i == 2 ? null : "heroku.1.aaaa")).ToList();
        using (var store = CreateStore())
        {
            Assert.Empty(store.GetAlertTransitions(10));
            Assert.Empty(store.GetRestarts(10));
            transitions.ForEach(store.AddAlertTransition);
            restarts.ForEach(store.AddRestart);
        }

        using var reopened = CreateStore();
        Assert.Equal([transitions[3], transitions[2], transitions[1]], reopened.GetAlertTransitions(3));
        Assert.Equal([restarts[2], restarts[1], restarts[0]], reopened.GetRestarts(10));
        Assert.Empty(reopened.GetRestarts(0));
    }

    [StoreFact]
    public void GetNewest_NewestReadingTimeAndNewestRollupMinute()
    {
        using var store = CreateStore();
        Assert.Equal((null, null), store.GetNewest());

        store.Write([Batch("myapp", b =>
        {
            TestLines.Load(b, s_t0.AddMinutes(90).AddSeconds(7), "web.1", 0.5);
            TestLines.Memory(b, s_t0.AddMinutes(90).AddSeconds(7.4), "web.1", 200);
            TestLines.Load(b, s_t0.AddMinutes(3), "web.2", 0.5);
            TestLines.Router(b, s_t0.AddMinutes(30).AddSeconds(42), "web.1");
            TestLines.Router(b, s_t0.AddMinutes(2), "web.2");
        })]);

        Assert.Equal((s_t0.AddMinutes(90).AddSeconds(7), s_t0.AddMinutes(30)), store.GetNewest());
    }

    private static HistoryBatch Traffic(string app) => Batch(app, b =>
    {
        TestLines.Load(b, s_t0, "web.1", 0.5);
        TestLines.Router(b, s_t0, "web.1", status: 503, code: TestLines.H12);
        TestLines.App(b, s_t0, "web.1", "hello");
    });
}
