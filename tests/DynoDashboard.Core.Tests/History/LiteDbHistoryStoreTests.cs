using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

public sealed class LiteDbHistoryStoreTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private readonly TempHistoryFile _file = new();

    [Fact]
    public void Write_HalvesInSeparateWrites_MergeIntoOneReadingThatSurvivesReopen()
    {
        using (var store = _file.Open())
        {
            store.Write([Batch("myapp", b => TestLines.Load(b, s_t0, "web.1", 0.5))]);
            store.Write([Batch("myapp", b => TestLines.Memory(b, s_t0.AddMilliseconds(300), "web.1", 250))]);
        }

        using var reopened = _file.Open();
        var samples = reopened.ReadSamples(s_t0.AddHours(-1)).ToList();

        var sample = Assert.Single(samples);
        Assert.Equal(new DynoName("web.1"), sample.Dyno);
        Assert.Equal(0.5, sample.Sample.Load1m);
        Assert.Equal(250, sample.Sample.MemoryRssMb);
        Assert.Equal("heroku.1.aaaa", sample.Incarnation);
        Assert.Equal(s_t0, sample.Sample.Time);
    }

    [Fact]
    public void GetSeries_DynoNamesSharingAPrefix_ReturnsOnlyTheAskedDynoInTimeOrder()
    {
        using var store = _file.Open();
        store.Write([Batch("myapp", b =>
        {
            for (var i = 0; i < 9; i++)
            {
                TestLines.Load(b, s_t0.AddSeconds(20 * i), "web.1", i);
                TestLines.Load(b, s_t0.AddSeconds(20 * i), "web.10", 100 + i);
            }
        })]);

        var points = store.GetSeries("myapp", new DynoName("web.1"), RuntimeMetric.LoadAvg1m, s_t0.AddSeconds(20), s_t0.AddSeconds(140));

        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7], points.Select(p => p.V));
        Assert.Equal(s_t0.AddSeconds(20), points[0].T);
        Assert.True(store.HasDyno("myapp", new DynoName("web.10")));
        Assert.False(store.HasDyno("myapp", new DynoName("web.2")));
    }

    [Fact]
    public void ReadRollups_RequestsOverTwoMinutes_GivesTenSecondBucketsWithCountsCodesAndLatency()
    {
        using var store = _file.Open();
        store.Write([Batch("myapp", b =>
        {
            TestLines.Router(b, s_t0.AddSeconds(1), "web.1", service: 20);
            TestLines.Router(b, s_t0.AddSeconds(2), "web.1", status: 503, service: 30000, code: TestLines.H12);
        })]);
        // A later write into the same 10-s bucket must add to it, not replace it.
        store.Write([Batch("myapp", b =>
        {
            TestLines.Router(b, s_t0.AddSeconds(3), "web.1", status: 404, service: 40);
            TestLines.Router(b, s_t0.AddSeconds(75), "web.1", service: 10);
            TestLines.Router(b, s_t0.AddSeconds(76), null, status: 503, code: TestLines.H10);
        })]);

        var rollups = store.ReadRollups(s_t0.AddHours(-1)).ToList();

        var web1 = rollups.Where(r => r.Dyno == new DynoName("web.1")).ToList();
        Assert.Equal([s_t0, s_t0.AddSeconds(70)], web1.Select(r => r.Rollup.Start));
        var first = web1[0].Rollup;
        Assert.Equal(3, first.Requests);
        Assert.Equal(1, first.Errors);
        Assert.Equal(1, first.ErrorsByCode["H12"]);
        Assert.Equal(new StatusClassCounts(0, 1, 0, 1, 1, 0), first.StatusClasses);
        Assert.Equal(30000, first.Service.Max);
        Assert.Equal(3, first.Service.Count);
        Assert.Equal(s_t0.AddSeconds(3), web1[0].LastRequest);
        var noDyno = Assert.Single(rollups, r => r.Dyno == DynoName.NoDyno);
        Assert.Equal(1, noDyno.Rollup.ErrorsByCode["H10"]);
    }

    [Fact]
    public void Write_TimeCompressedInput_KeepsOnlyMinutesNearTheNewestOpenAndLateFactsStillMerge()
    {
        using var store = _file.Open();
        // One write per data minute, as a replay or the load generator's --time-scale 60 sends them: counting
        // writes alone would hold all 90 minutes (and two hours of samples) open.
        for (var minute = 0; minute < 90; minute++)
        {
            var at = s_t0.AddMinutes(minute);
            store.Write([Batch("myapp", b =>
            {
                TestLines.Router(b, at, "web.1");
                TestLines.Load(b, at, "web.1", 0.5);
            })]);
        }

        // Rollup minutes within 5 minutes of the newest, plus the newest sample hours.
        Assert.InRange(store.OpenDocuments, 2, 9);

        // A late request for the first minute, long closed, is added to what is stored for it.
        store.Write([Batch("myapp", b => TestLines.Router(b, s_t0.AddSeconds(30), "web.1"))]);
        var first = store.ReadRollups(s_t0.AddHours(-1)).Where(r => r.Rollup.Start < s_t0.AddMinutes(1)).ToList();
        Assert.Equal(2, first.Sum(r => r.Rollup.Requests));
        Assert.Equal(91, store.ReadRollups(s_t0.AddHours(-1)).Sum(r => r.Rollup.Requests));
    }

    [Fact]
    public void Write_LateFactForAMinuteNoLongerOpen_MergesWithTheStoredDocument()
    {
        using (var store = _file.Open())
        {
            store.Write([Batch("myapp", b => TestLines.Router(b, s_t0, "web.1"))]);
        }

        // A new instance has no open minutes: the late request must be added to what is on disk.
        using var reopened = _file.Open();
        reopened.Write([Batch("myapp", b => TestLines.Router(b, s_t0.AddSeconds(5), "web.1"))]);

        Assert.Equal(2, Assert.Single(reopened.ReadRollups(s_t0.AddHours(-1))).Rollup.Requests);
    }

    [Fact]
    public void GetEvents_FilteredByDynoCodeAndRange_NewestFirstWithEveryField()
    {
        using var store = _file.Open();
        store.Write([Batch("myapp", b =>
        {
            TestLines.Router(b, s_t0, "web.1", status: 503, code: TestLines.H12);
            TestLines.Router(b, s_t0.AddSeconds(1), "web.2", status: 503, code: TestLines.H12);
            TestLines.Router(b, s_t0.AddSeconds(2), "web.1", status: 503, code: TestLines.H13);
            TestLines.Router(b, s_t0.AddSeconds(3), "web.1", status: 503, code: TestLines.H12);
            b.OnDynoEvent(TestLines.StateChanged(s_t0.AddSeconds(4), "web.1", "up", "crashed"));
        })]);

        var h12 = store.GetEvents("myapp", new DynoName("web.1"), "h12", s_t0, s_t0.AddMinutes(1), 10);
        var state = store.GetEvents("myapp", null, null, s_t0.AddSeconds(4), s_t0.AddSeconds(5), 10);
        var before = store.GetEvents("myapp", null, null, s_t0, s_t0.AddSeconds(2), 10);

        Assert.Equal([s_t0.AddSeconds(3), s_t0], h12.Select(e => e.Time));
        Assert.Same(ErrorCatalog.H12, h12[0].Code);
        Assert.Equal(503, h12[0].Status);
        Assert.Equal("crashed", Assert.Single(state).ToState);
        Assert.Equal(DynoEventKind.StateChanged, state[0].Kind);
        Assert.Equal(2, before.Count);
        Assert.Empty(store.GetEvents("other-app", null, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10));
    }

    [Fact]
    public void Write_MoreLinesThanMaxLogLines_KeepsOnlyTheNewest()
    {
        using var store = _file.Open(maxLogLines: 50);
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
        Assert.Equal("line 119", lines[0].Message);
        Assert.Equal("line 70", lines[^1].Message);
        Assert.Equal(50, store.CountDocuments().Lines);
    }

    [Fact]
    public void GetLines_TimeRange_NewestFirstInsideFromBeforeOfThatAppOnly()
    {
        using var store = _file.Open();
        // Written out of time order, as late lines arrive: the result follows time, not arrival.
        store.Write([Batch("myapp", b =>
        {
            foreach (var second in new[] { 5, 1, 3, 2, 4, 0 })
            {
                TestLines.App(b, s_t0.AddSeconds(second), "web.1", $"line {second}");
            }
        }), Batch("other-app", b => TestLines.App(b, s_t0.AddSeconds(3), "web.1", "other"))]);

        var lines = store.GetLines("myapp", s_t0.AddSeconds(1), s_t0.AddSeconds(4), 1_000);
        var limited = store.GetLines("myapp", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 2);

        Assert.Equal(["line 3", "line 2", "line 1"], lines.Select(l => l.Message));
        Assert.Equal(["line 5", "line 4"], limited.Select(l => l.Message));
        Assert.Empty(store.GetLines("myapp", s_t0.AddSeconds(4), s_t0.AddSeconds(4), 10));
    }

    [Fact]
    public void Sweep_DocumentsOlderThanCutoff_DeletedInBoundedStepsNewerKept()
    {
        using var store = _file.Open();
        for (var minute = 0; minute < 10; minute++)
        {
            // One write per minute, as the writer's flushes would: each write's events are one block.
            var time = s_t0.AddMinutes(minute);
            store.Write([Batch("myapp", b =>
            {
                TestLines.Load(b, time, "web.1", minute);
                TestLines.Router(b, time, "web.1");
                TestLines.App(b, time, "web.1", "hello");
                b.OnDynoEvent(TestLines.StateChanged(time, "web.1", "starting", "up"));
            })]);
        }

        var first = store.Sweep(s_t0.AddMinutes(6), maxDeletes: 7);
        var rest = store.Sweep(s_t0.AddMinutes(6), maxDeletes: 1_000);

        // Samples are one document per hour, kept whole while any of the hour is inside retention
        // (SampleHourTests); rollups, events and lines go minute by minute.
        Assert.Equal(7, first);
        Assert.Equal((6 * 3) - 7, rest);
        Assert.Equal((1L, 4L, 4L, 4L), store.CountDocuments());
        Assert.Equal(0.0, store.GetSeries("myapp", new DynoName("web.1"), RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1))[0].V);
    }

    [Fact]
    public void FileSize_SteadyIngestionWithDailyRetention_StopsGrowingOnceRetentionIsReached()
    {
        // 1 day of retention, 3 dynos, one reading per minute and a request every 10 s, for 5 simulated days.
        var retention = TimeSpan.FromDays(1);
        var sizes = new List<long>();
        using var store = _file.Open(maxLogLines: 2_000);
        for (var day = 0; day < 5; day++)
        {
            for (var hour = 0; hour < 24; hour++)
            {
                var hourStart = s_t0.AddDays(day).AddHours(hour);
                store.Write([Batch("myapp", b =>
                {
                    for (var minute = 0; minute < 60; minute++)
                    {
                        for (var dyno = 1; dyno <= 3; dyno++)
                        {
                            var time = hourStart.AddMinutes(minute);
                            TestLines.Load(b, time, $"web.{dyno}", minute / 10.0);
                            TestLines.Memory(b, time, $"web.{dyno}", 200 + minute);
                            for (var s = 0; s < 60; s += 10)
                            {
                                TestLines.Router(b, time.AddSeconds(s), $"web.{dyno}", service: 20 + s);
                            }
                        }

                        TestLines.App(b, hourStart.AddMinutes(minute), "web.1", "GET /health 200");
                    }
                })]);
                while (store.Sweep(hourStart.AddHours(1) - retention, 5_000) == 5_000)
                {
                }
            }

            store.Checkpoint();
            sizes.Add(store.GetFileInfo().FileBytes);
        }

        // Day 1 fills the retention window; from then on deletes free as many pages as the writes need.
        Assert.True(sizes[1] > sizes[0], $"the file did not grow while filling: {string.Join(", ", sizes)}");
        Assert.True(sizes[4] <= sizes[2] * 1.05, $"the file kept growing under retention: {string.Join(", ", sizes)}");
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Builds a batch through the real tee, so tests feed history exactly as ingestion does.</summary>
    internal static HistoryBatch Batch(string app, Action<IHerokuLineSink> lines, LiveStore? live = null)
    {
        var tee = new HistoryTee();
        var sink = (live ?? new LiveStore(new LiveStoreOptions())).GetWriter(app);
        lines(tee.Begin(app, sink));
        return tee.End();
    }
}
