using System.Text;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using static DynoDashboard.Core.Tests.Live.TestLines;

namespace DynoDashboard.Core.Tests.Live;

public sealed class LiveStoreTests
{
    private static readonly DynoName s_web1 = new("web.1");

    [Fact]
    public void Ctor_InvalidOptions_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new LiveStore(new LiveStoreOptions { EventsPerApp = 0 }));

        Assert.Contains("LiveStore:EventsPerApp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetApps_SeveralApps_SortedByNameWithDynoCountAndLastSeen()
    {
        var store = new LiveStore(new LiveStoreOptions());
        Router(store.GetWriter("zeta"), T0, "web.1");
        Router(store.GetWriter("alpha"), T0.AddSeconds(5), "web.1");
        Router(store.GetWriter("alpha"), T0.AddSeconds(2), "web.2");
        store.GetWriter("empty");

        var apps = store.GetApps();

        Assert.Equal(
            [new AppSummary("alpha", 2, T0.AddSeconds(5)), new AppSummary("empty", 0, null), new AppSummary("zeta", 1, T0)],
            apps);
    }

    [Fact]
    public void Readers_UnknownAppOrDyno_ReturnNull()
    {
        var store = new LiveStore(new LiveStoreOptions());
        Load(store.GetWriter("app"), T0, "web.1", 0.5);

        Assert.Null(store.GetDynos("nope"));
        Assert.Null(store.GetSeries("nope", s_web1, RuntimeMetric.LoadAvg1m, T0, T0));
        Assert.Null(store.GetSeries("app", new DynoName("web.9"), RuntimeMetric.LoadAvg1m, T0, T0));
        Assert.Null(store.GetEvents("nope", null, null, 10));
        Assert.Null(store.GetRollups("nope", s_web1, T0, T0));
        Assert.Null(store.GetRollups("app", new DynoName("web.9"), T0, T0));
        Assert.Null(store.GetRecentLines("nope", 10));
        Assert.Equal((null, null), store.GetRuntimeCoverage("nope", s_web1));
        Assert.Equal((null, null), store.GetRuntimeCoverage("app", new DynoName("web.9")));
    }

    [Fact]
    public void GetDynos_MixedNames_SortedByDynoOrder()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        foreach (var name in new[] { "worker.1", "web.10", "web.2", "web.1" })
        {
            Load(writer, T0, name, 1);
        }

        var dynos = store.GetDynos("app")!;

        Assert.Equal(["web.1", "web.2", "web.10", "worker.1"], dynos.Select(d => d.Name.Value));
        Assert.Equal("worker", dynos[3].ProcessType);
    }

    [Fact]
    public void OnRuntimeSample_LoadThenMemoryOfSameReading_MergedIntoOneSample()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");

        Load(writer, T0, "web.1", 0.42);
        Memory(writer, T0.AddMilliseconds(300), "web.1", 210);

        var latest = store.GetDynos("app")![0].Latest!.Value;
        Assert.Equal(T0, latest.Time);
        Assert.Equal(0.42, latest.Load1m);
        Assert.Equal(210, latest.MemoryRssMb);
        Assert.Equal((T0, T0), store.GetRuntimeCoverage("app", s_web1));
        Assert.Single(store.GetSeries("app", s_web1, RuntimeMetric.MemoryRss, T0, T0.AddMinutes(1))!);
    }

    [Fact]
    public void OnRuntimeSample_LateSample_InsertedInOrderAndLatestUnchanged()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Load(writer, T0, "web.1", 1);
        Load(writer, T0.AddSeconds(40), "web.1", 3);

        Load(writer, T0.AddSeconds(20), "web.1", 2);

        Assert.Equal(3, store.GetDynos("app")![0].Latest!.Value.Load1m);
        var series = store.GetSeries("app", s_web1, RuntimeMetric.LoadAvg1m, T0, T0.AddMinutes(1))!;
        Assert.Equal([1.0, 2.0, 3.0], series.Select(p => p.V));
        Assert.Equal([T0, T0.AddSeconds(20), T0.AddSeconds(40)], series.Select(p => p.T));
    }

    [Fact]
    public void OnRuntimeSample_LateHalfOfOlderReading_MergesWithThatReading()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Load(writer, T0, "web.1", 1);
        Load(writer, T0.AddSeconds(20), "web.1", 2);

        Memory(writer, T0.AddMilliseconds(500), "web.1", 300);

        var memory = store.GetSeries("app", s_web1, RuntimeMetric.MemoryRss, T0, T0.AddMinutes(1))!;
        Assert.Equal([new SeriesPoint(T0, 300)], memory);
        Assert.Equal(2, store.GetSeries("app", s_web1, RuntimeMetric.LoadAvg1m, T0, T0.AddMinutes(1))!.Count);
    }

    [Fact]
    public void OnRuntimeSample_OlderThanFullBuffer_DroppedAndCounted()
    {
        var store = new LiveStore(new LiveStoreOptions { RuntimeSamplesPerDyno = 3 });
        var writer = store.GetWriter("app");
        for (var i = 1; i <= 4; i++)
        {
            Load(writer, T0.AddSeconds(20 * i), "web.1", i);
        }

        Load(writer, T0, "web.1", 0);

        Assert.Equal((T0.AddSeconds(40), T0.AddSeconds(80)), store.GetRuntimeCoverage("app", s_web1));
        Assert.Equal(1, store.GetCounters().LateSamplesDropped);
    }

    [Fact]
    public void GetSeries_Window_InclusiveBoundsAndNaNSkipped()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        for (var i = 0; i < 10; i++)
        {
            Load(writer, T0.AddSeconds(20 * i), "web.1", i);
        }

        Memory(writer, T0.AddSeconds(60), "web.1", 99);

        var load = store.GetSeries("app", s_web1, RuntimeMetric.LoadAvg1m, T0.AddSeconds(40), T0.AddSeconds(100))!;
        var memory = store.GetSeries("app", s_web1, RuntimeMetric.MemoryRss, T0, T0.AddHours(1))!;

        Assert.Equal([2.0, 3.0, 4.0, 5.0], load.Select(p => p.V));
        Assert.Equal([new SeriesPoint(T0.AddSeconds(60), 99)], memory);
    }

    [Fact]
    public void OnRuntimeSample_NewIncarnation_RecordedAsLifecycleFact()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Load(writer, T0, "web.1", 1, "heroku.1.old");
        Load(writer, T0.AddSeconds(20), "web.1", 1, "heroku.1.old");
        Load(writer, T0.AddSeconds(60), "web.1", 1, "heroku.1.new");
        Load(writer, T0.AddSeconds(80), "web.1", 1, "heroku.1.new");

        var dyno = store.GetDynos("app")![0];

        Assert.Equal("heroku.1.new", dyno.Incarnation);
        Assert.Equal(T0.AddSeconds(60), dyno.IncarnationSince);
        Assert.Equal(
            [new DynoIncarnation("heroku.1.old", T0, T0.AddSeconds(20)), new DynoIncarnation("heroku.1.new", T0.AddSeconds(60), T0.AddSeconds(80))],
            dyno.Incarnations);
    }

    [Fact]
    public void OnRuntimeSample_LateLineOfOldIncarnation_DoesNotSwitchBack()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Load(writer, T0, "web.1", 1, "heroku.1.old");
        Load(writer, T0.AddSeconds(60), "web.1", 1, "heroku.1.new");

        Memory(writer, T0.AddSeconds(20), "web.1", 100, "heroku.1.old");

        var dyno = store.GetDynos("app")![0];
        Assert.Equal("heroku.1.new", dyno.Incarnation);
        Assert.Equal(T0.AddSeconds(20), dyno.Incarnations[0].LastSeen);
    }

    [Fact]
    public void OnRuntimeSample_ManyRestarts_IncarnationListStaysBounded()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        for (var i = 0; i < 30; i++)
        {
            Load(writer, T0.AddMinutes(i), "web.1", 1, $"heroku.1.run{i}");
        }

        var dyno = store.GetDynos("app")![0];

        Assert.Equal(8, dyno.Incarnations.Count);
        Assert.Equal("heroku.1.run29", dyno.Incarnation);
        Assert.Equal("heroku.1.run22", dyno.Incarnations[0].Id);
    }

    [Fact]
    public void OnRouterRequest_OneBucket_RolledUpByStatusCodeLatencyAndBytes()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Router(writer, T0.AddSeconds(1), "web.1", status: 200, connect: 1, service: 40, bytes: 100);
        Router(writer, T0.AddSeconds(2), "web.1", status: 404, connect: 2, service: 10, bytes: 50);
        Router(writer, T0.AddSeconds(3), "web.1", status: 503, connect: 0, service: 30_000, code: H12, bytes: 0);
        Router(writer, T0.AddSeconds(9), "web.1", status: null, connect: null, service: null, code: H13, bytes: null);

        var rollups = store.GetRollups("app", s_web1, T0, T0.AddMinutes(1))!;

        var rollup = Assert.Single(rollups);
        Assert.Equal(T0, rollup.Start);
        Assert.Equal(T0.AddSeconds(10), rollup.End);
        Assert.Equal(4, rollup.Requests);
        Assert.Equal(new StatusClassCounts(0, 1, 0, 1, 1, 1), rollup.StatusClasses);
        Assert.Equal(2, rollup.Errors);
        Assert.Equal(new Dictionary<string, int> { ["H12"] = 1, ["H13"] = 1 }, rollup.ErrorsByCode);
        Assert.Equal(3, rollup.Service.Count);
        Assert.Equal(30_000, rollup.Service.Max);
        Assert.Equal(3, rollup.Connect.Count);
        Assert.Equal(150, rollup.Bytes);
    }

    [Fact]
    public void OnRouterRequest_SeveralBuckets_RollupsOrderedAndWindowed()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        for (var s = 0; s < 60; s += 5)
        {
            Router(writer, T0.AddSeconds(s), "web.1");
        }

        var all = store.GetRollups("app", s_web1, T0, T0.AddMinutes(5))!;
        var middle = store.GetRollups("app", s_web1, T0.AddSeconds(15), T0.AddSeconds(30))!;

        Assert.Equal(6, all.Count);
        Assert.All(all, r => Assert.Equal(2, r.Requests));
        Assert.Equal([T0.AddSeconds(10), T0.AddSeconds(20), T0.AddSeconds(30)], middle.Select(r => r.Start));
    }

    [Fact]
    public void OnRouterRequest_LateWithinWindow_CountedInItsBucket()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Router(writer, T0, "web.1");
        Router(writer, T0.AddMinutes(30), "web.1");

        Router(writer, T0.AddSeconds(3), "web.1");
        Router(writer, T0.AddMinutes(10), "web.1");

        var rollups = store.GetRollups("app", s_web1, T0, T0.AddHours(1))!;
        Assert.Equal([T0, T0.AddMinutes(10), T0.AddMinutes(30)], rollups.Select(r => r.Start));
        Assert.Equal([2, 1, 1], rollups.Select(r => r.Requests));
    }

    [Fact]
    public void OnRouterRequest_OlderThanKeptWindow_DroppedAndCounted()
    {
        var store = new LiveStore(new LiveStoreOptions { RollupBucketsPerDyno = 6 });
        var writer = store.GetWriter("app");
        Router(writer, T0, "web.1");
        Router(writer, T0.AddSeconds(60), "web.1");

        Router(writer, T0.AddSeconds(5), "web.1");

        // The window is 6 buckets ending at T0+60 s: (T0+0 s, T0+60 s] - the T0 bucket has expired.
        var rollups = store.GetRollups("app", s_web1, T0.AddHours(-1), T0.AddHours(1))!;
        Assert.Equal([T0.AddSeconds(60)], rollups.Select(r => r.Start));
        Assert.Equal(1, store.GetCounters().LateRequestsDropped);
    }

    [Fact]
    public void OnRouterRequest_SlotReusedAfterWrap_OldCountsGone()
    {
        var store = new LiveStore(new LiveStoreOptions { RollupBucketsPerDyno = 3 });
        var writer = store.GetWriter("app");
        Router(writer, T0, "web.1", code: H12);
        Router(writer, T0.AddSeconds(30), "web.1");

        var rollup = Assert.Single(store.GetRollups("app", s_web1, T0.AddHours(-1), T0.AddHours(1))!);

        Assert.Equal(T0.AddSeconds(30), rollup.Start);
        Assert.Equal(1, rollup.Requests);
        Assert.Empty(rollup.ErrorsByCode);
    }

    [Fact]
    public void OnRouterRequest_NoDyno_RolledUpUnderPseudoDynoAndNotListed()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Router(writer, T0, dyno: null, status: 503, code: H10);
        Router(writer, T0.AddSeconds(1), "web.1");

        var noDyno = Assert.Single(store.GetRollups("app", DynoName.NoDyno, T0, T0.AddMinutes(1))!);

        Assert.Equal(1, noDyno.ErrorsByCode["H10"]);
        Assert.Equal(["web.1"], store.GetDynos("app")!.Select(d => d.Name.Value));
        var error = Assert.Single(store.GetEvents("app", null, "H10", 10)!);
        Assert.Null(error.Dyno);
        Assert.Same(error, Assert.Single(store.GetEvents("app", DynoName.NoDyno, null, 10)!));
    }

    [Fact]
    public void OnRouterRequest_HCode_KeptAsRouterErrorEvent()
    {
        var store = new LiveStore(new LiveStoreOptions());
        Router(store.GetWriter("app"), T0, "web.1", status: 503, service: 30_000, code: H12);

        var e = Assert.Single(store.GetEvents("app", null, null, 10)!);

        Assert.Equal(DynoEventKind.RouterError, e.Kind);
        Assert.Same(H12, e.Code);
        Assert.Equal(s_web1, e.Dyno);
        Assert.Equal(30_000, e.ServiceMs);
        Assert.StartsWith("at=error code=H12", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetEvents_FiltersAndLimit_NewestFirst()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Router(writer, T0, "web.1", code: H12);
        Router(writer, T0.AddSeconds(1), "web.2", code: H12);
        Router(writer, T0.AddSeconds(2), "web.1", code: H13);
        Router(writer, T0.AddSeconds(3), "web.1", code: H12);
        writer.OnDynoEvent(StateChanged(T0.AddSeconds(4), "web.1", "up", "crashed"));

        var all = store.GetEvents("app", null, null, 100)!;
        var web1H12 = store.GetEvents("app", s_web1, "h12", 100)!;
        var newestTwo = store.GetEvents("app", null, null, 2)!;

        Assert.Equal(5, all.Count);
        Assert.Equal([T0.AddSeconds(3), T0], web1H12.Select(e => e.Time));
        Assert.Equal([DynoEventKind.StateChanged, DynoEventKind.RouterError], newestTwo.Select(e => e.Kind));
        Assert.Empty(store.GetEvents("app", null, null, 0)!);
    }

    [Fact]
    public void GetDynos_LastHour_RelativeToAppNewestDataNotWallClock()
    {
        var store = new LiveStore(new LiveStoreOptions { RollupBucketsPerDyno = 720 });
        var writer = store.GetWriter("app");
        Router(writer, T0, "web.1", code: H12);
        Router(writer, T0.AddMinutes(30), "web.1", code: H12);
        Router(writer, T0.AddMinutes(31), "web.1", code: H13);
        Router(writer, T0.AddMinutes(40), "web.1");
        Router(writer, T0.AddMinutes(61), "web.2");

        var web1 = store.GetDynos("app")![0];

        Assert.Equal(3, web1.RequestsLastHour);
        Assert.Equal(2, web1.ErrorsLastHour);
        Assert.Equal(new Dictionary<string, int> { ["H12"] = 1, ["H13"] = 1 }, web1.ErrorsByCode);
    }

    [Fact]
    public void State_DataWithoutExplicitState_InferredUp()
    {
        var store = new LiveStore(new LiveStoreOptions());
        Router(store.GetWriter("app"), T0, "web.1");

        Assert.Equal("up", store.GetDynos("app")![0].State);
    }

    [Fact]
    public void State_ExplicitChange_WinsUntilNewerData()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Load(writer, T0, "web.1", 1);
        writer.OnDynoEvent(StateChanged(T0.AddSeconds(10), "web.1", "up", "crashed"));
        Assert.Equal("crashed", store.GetDynos("app")![0].State);

        Load(writer, T0.AddSeconds(5), "web.1", 1);
        Assert.Equal("crashed", store.GetDynos("app")![0].State);

        Router(writer, T0.AddSeconds(30), "web.1");
        Assert.Equal("up", store.GetDynos("app")![0].State);
    }

    [Fact]
    public void OnDynoEvent_WithDyno_MakesDynoKnownWithoutInferringUp()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        writer.OnDynoEvent(new DynoEvent
        {
            Time = T0,
            Dyno = new DynoName("worker.1"),
            Kind = DynoEventKind.Starting,
            Description = "Starting process",
            ProcId = "worker.1",
            Message = "Starting process with command `bundle exec sidekiq`",
            Incarnation = "heroku.1.w1",
        });

        var dyno = Assert.Single(store.GetDynos("app")!);

        Assert.Equal("worker.1", dyno.Name.Value);
        Assert.Null(dyno.State);
        Assert.Equal(T0, dyno.LastSeen);
        Assert.Equal("heroku.1.w1", dyno.Incarnation);
    }

    [Fact]
    public void GetRecentLines_EveryKind_NewestFirstWithPooledNames()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        App(writer, T0, "web.1", "GET / 200");
        Load(writer, T0.AddSeconds(1), "web.1", 0.5);
        Router(writer, T0.AddSeconds(2), "web.1");
        writer.OnDynoEvent(StateChanged(T0.AddSeconds(3), "web.1", "starting", "up"));
        App(writer, T0.AddSeconds(4), "web.1", "GET /health 200");
        writer.OnRawLine(new RawLine { Text = "garbage"u8, Reason = "not-syslog" });

        var lines = store.GetRecentLines("app", 100)!;

        Assert.Equal(
            [LineKind.Raw, LineKind.App, LineKind.Event, LineKind.Router, LineKind.Runtime, LineKind.App],
            lines.Select(l => l.Kind));
        Assert.Equal("garbage", lines[0].Message);
        Assert.Equal(T0.AddSeconds(4), lines[0].Time);
        Assert.Equal(new LogLine(T0.AddSeconds(4), "app", "web.1", s_web1, LineKind.App, "GET /health 200"), lines[1]);
        Assert.Same(lines[1].ProcId, lines[5].ProcId);
        Assert.Same(lines[1].Source, lines[5].Source);
        Assert.Equal(2, store.GetRecentLines("app", 2)!.Count);
    }

    [Fact]
    public void OnRawLine_BeforeAnyData_UsesTimeProvider()
    {
        var now = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var store = new LiveStore(new LiveStoreOptions(), new FixedTimeProvider(now));

        store.GetWriter("app").OnRawLine(new RawLine { Text = "x"u8, Reason = "bad-octet-count" });

        Assert.Equal(now, store.GetRecentLines("app", 1)![0].Time);
    }

    [Fact]
    public void GetWriter_MaxDynosReached_EvictsLeastRecentlySeenDyno()
    {
        var store = new LiveStore(new LiveStoreOptions { MaxDynosPerApp = 3 });
        var writer = store.GetWriter("app");
        Load(writer, T0.AddSeconds(30), "web.1", 1);
        Load(writer, T0, "web.2", 1);
        Load(writer, T0.AddSeconds(20), "web.3", 1);

        Load(writer, T0.AddSeconds(40), "run.1", 1);

        Assert.Equal(["run.1", "web.1", "web.3"], store.GetDynos("app")!.Select(d => d.Name.Value));
        Assert.Equal(1, store.GetCounters().DynosEvicted);
    }

    [Fact]
    public void GetWriter_MaxAppsReached_EvictsLeastRecentlySeenApp()
    {
        var store = new LiveStore(new LiveStoreOptions { MaxApps = 2 });
        Router(store.GetWriter("old"), T0, "web.1");
        Router(store.GetWriter("new"), T0.AddHours(1), "web.1");

        store.GetWriter("newest");

        Assert.Equal(["new", "newest"], store.GetApps().Select(a => a.Name));
        Assert.Equal(1, store.GetCounters().AppsEvicted);
        Assert.Null(store.GetDynos("old"));
    }

    [Fact]
    public void GetDynos_Snapshot_IsACopyNotALiveView()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Router(writer, T0, "web.1");
        var before = store.GetDynos("app")!;
        var rollups = store.GetRollups("app", s_web1, T0, T0)!;

        Router(writer, T0.AddSeconds(1), "web.1", service: 900);
        Router(writer, T0.AddSeconds(2), "web.2");

        Assert.Single(before);
        Assert.Equal(1, before[0].RequestsLastHour);
        Assert.Equal(1, rollups[0].Requests);
        Assert.Equal(1, rollups[0].Service.Count);
    }

    [Fact]
    public void OnRouterRequest_PlainLinesInSteadyState_AllocateNothing()
    {
        var store = new LiveStore(new LiveStoreOptions { RecentLinesPerApp = 64, RollupBucketsPerDyno = 6 });
        var writer = store.GetWriter("app");
        var message = "at=info method=GET path=\"/\" host=a dyno=web.1 connect=1ms service=20ms status=200 bytes=5"u8.ToArray();
        var dyno = new DynoName("web.1");
        int[] services = [3, 20, 45, 130, 900];

        void Feed(int from, int count)
        {
            for (var i = from; i < from + count; i++)
            {
                writer.OnRouterRequest(new RouterRequest
                {
                    Time = T0.AddSeconds(i),
                    Level = RouterLevel.Info,
                    Dyno = dyno,
                    ConnectMs = 1,
                    ServiceMs = services[i % services.Length],
                    Status = 200,
                    Bytes = 5,
                    Message = message,
                });
            }
        }

        // Warm up: fill the line buffer, allocate every rollup slot and grow its histograms.
        Feed(0, 600);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Feed(600, 1_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The message stays UTF-8 in the app's recent-line text buffer until someone reads it.
        Assert.Equal(0, allocated);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
