using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using static DynoDashboard.Core.Tests.Live.TestLines;

namespace DynoDashboard.Core.Tests.Live;

public sealed class LiveStoreBoundsTests
{
    [Fact]
    public void Writer_OneMillionRouterLinesOver100Dynos_EveryBufferBoundedAndRetainedRollupsExact()
    {
        const int Lines = 1_000_000;
        const int WebDynos = 100;
        var options = new LiveStoreOptions
        {
            RuntimeSamplesPerDyno = 200,
            RollupBucketsPerDyno = 360,
            EventsPerApp = 5_000,
            RecentLinesPerApp = 20_000,
            MaxDynosPerApp = 120,
        };
        var store = new LiveStore(options);
        var writer = store.GetWriter("big");
        var web = Enumerable.Range(1, WebDynos).Select(i => new DynoName($"web.{i}")).ToArray();
        var message = "at=info method=GET path=\"/\" host=big.herokuapp.com connect=1ms service=20ms status=200 bytes=5"u8.ToArray();
        var expected = new Dictionary<(DynoName Dyno, long Bucket), (int Requests, int Errors, int H12)>();
        var random = new Random(7);

        // 1M lines over ~2 h of log time: 139 lines/s across 100 web dynos, 3 % errors, 2 % of lines 5 min
        // late, a one-off run.N dyno every 1,000 lines (churn past MaxDynosPerApp), runtime metrics every 20 s.
        var start = T0;
        long nextSampleSecond = 0;
        for (var i = 0; i < Lines; i++)
        {
            var seconds = i * 7.2 / 1_000;
            var time = start.AddSeconds(seconds);
            if (random.Next(50) == 0)
            {
                time = time.AddMinutes(-5);
            }

            var dyno = i % 1_000 == 999 ? new DynoName($"run.{i}") : web[random.Next(WebDynos)];
            var code = random.Next(100) < 3 ? (random.Next(2) == 0 ? H12 : H13) : null;
            var service = code == H12 ? 30_000 : (int)Math.Exp(3 + (random.NextDouble() * 4));
            writer.OnRouterRequest(new RouterRequest
            {
                Time = time,
                Level = code is null ? RouterLevel.Info : RouterLevel.Error,
                Code = code,
                Dyno = dyno,
                ConnectMs = random.Next(5),
                ServiceMs = service,
                Status = code is null ? 200 : 503,
                Bytes = 5,
                Message = message,
            });

            var key = (dyno, time.UtcTicks / TimeSpan.TicksPerSecond / LiveStoreOptions.RollupBucketSeconds);
            var (requests, errors, h12) = expected.GetValueOrDefault(key);
            expected[key] = (requests + 1, errors + (code is null ? 0 : 1), h12 + (code == H12 ? 1 : 0));

            if (seconds >= nextSampleSecond)
            {
                nextSampleSecond += 20;
                foreach (var d in web)
                {
                    Load(writer, time, d.Value, 0.5, $"heroku.1.{d.Value}");
                    Memory(writer, time, d.Value, 300, $"heroku.1.{d.Value}");
                }
            }
        }

        var footprint = store.GetFootprint("big")!.Value;
        Assert.InRange(footprint.Dynos, WebDynos, options.MaxDynosPerApp);
        Assert.Equal(options.RuntimeSamplesPerDyno, footprint.MaxSamplesPerDyno);
        Assert.Equal(options.RollupBucketsPerDyno, footprint.MaxRollupsPerDyno);
        Assert.Equal(1, footprint.MaxIncarnationsPerDyno);
        Assert.Equal(options.EventsPerApp, footprint.Events);
        Assert.Equal(options.RecentLinesPerApp, footprint.Lines);
        Assert.Equal(WebDynos, store.GetDynos("big")!.Count(d => d.Name.ProcessType == "web"));
        Assert.True(store.GetCounters().DynosEvicted > 0);
        Assert.Equal(options.EventsPerApp, store.GetEvents("big", null, null, int.MaxValue)!.Count);
        Assert.Equal(options.RecentLinesPerApp, store.GetRecentLines("big", int.MaxValue)!.Count);

        foreach (var dyno in web)
        {
            var rollups = store.GetRollups("big", dyno, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)!;
            var newest = expected.Keys.Where(k => k.Dyno == dyno).Max(k => k.Bucket);
            var retained = expected
                .Where(e => e.Key.Dyno == dyno && e.Key.Bucket > newest - options.RollupBucketsPerDyno)
                .OrderBy(e => e.Key.Bucket)
                .ToList();

            Assert.Equal(retained.Count, rollups.Count);
            for (var b = 0; b < retained.Count; b++)
            {
                var (bucket, counts) = (retained[b].Key.Bucket, retained[b].Value);
                Assert.Equal(BucketStart(bucket), rollups[b].Start);
                Assert.Equal(counts.Requests, rollups[b].Requests);
                Assert.Equal(counts.Errors, rollups[b].Errors);
                Assert.Equal(counts.H12, rollups[b].ErrorsByCode.GetValueOrDefault("H12"));
                Assert.Equal(counts.Requests, rollups[b].Service.Count);
            }

            var samples = store.GetSeries("big", dyno, RuntimeMetric.MemoryRss, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)!;
            Assert.Equal(options.RuntimeSamplesPerDyno, samples.Count);
        }
    }

    private static DateTimeOffset BucketStart(long bucket) =>
        new(bucket * LiveStoreOptions.RollupBucketSeconds * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    [Fact]
    public void GetWriter_ManyApps_AppCountBoundedAndEvictionsCounted()
    {
        var store = new LiveStore(new LiveStoreOptions { MaxApps = 5 });
        for (var i = 0; i < 40; i++)
        {
            Router(store.GetWriter($"app-{i:D2}"), T0.AddSeconds(i), "web.1");
        }

        var apps = store.GetApps();

        Assert.Equal(5, apps.Count);
        Assert.Equal(["app-35", "app-36", "app-37", "app-38", "app-39"], apps.Select(a => a.Name));
        Assert.Equal(35, store.GetCounters().AppsEvicted);
    }

    [Fact]
    public void OnAppLine_ThousandsOfDistinctProcIds_NamePoolStaysBounded()
    {
        var store = new LiveStore(new LiveStoreOptions { MaxDynosPerApp = 10 });
        var writer = store.GetWriter("app");
        for (var i = 0; i < 3_000; i++)
        {
            App(writer, T0.AddSeconds(i), $"addon-{i}", "metric=1");
        }

        var footprint = store.GetFootprint("app")!.Value;

        Assert.Equal(1_024, footprint.PooledNames);
        Assert.Equal("addon-2999", store.GetRecentLines("app", 1)![0].ProcId);
    }

    [Fact]
    public async Task Readers_WhileWriterRuns_SeeConsistentCopies()
    {
        var store = new LiveStore(new LiveStoreOptions { RecentLinesPerApp = 500, EventsPerApp = 100 });
        var writer = store.GetWriter("app");
        using var done = new CancellationTokenSource();

        var writing = Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                var time = T0.AddMilliseconds(i * 50);
                Router(writer, time, $"web.{(i % 8) + 1}", code: i % 100 == 0 ? H12 : null);
                if (i % 400 == 0)
                {
                    Load(writer, time, $"web.{(i % 8) + 1}", i);
                }
            }
        });
        var reading = Task.Run(() =>
        {
            var reads = 0;
            while (!writing.IsCompleted || reads == 0)
            {
                var dynos = store.GetDynos("app")!;
                foreach (var dyno in dynos)
                {
                    var rollups = store.GetRollups("app", dyno.Name, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)!;
                    Assert.True(rollups.Zip(rollups.Skip(1)).All(p => p.First.Start < p.Second.Start));
                    Assert.All(rollups, r => Assert.Equal(r.Requests, r.StatusClasses.Total));
                }

                Assert.InRange(store.GetRecentLines("app", int.MaxValue)!.Count, 0, 500);
                Assert.InRange(store.GetEvents("app", null, null, int.MaxValue)!.Count, 0, 100);
                reads++;
            }

            return reads;
        });

        await writing.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(await reading.WaitAsync(TimeSpan.FromMinutes(1)) > 0);
        Assert.Equal(8, store.GetDynos("app")!.Count);
        // 50,000 lines 50 ms apart span 42 min of log time: all of them are in the last hour.
        Assert.Equal(50_000, store.GetDynos("app")!.Sum(d => d.RequestsLastHour));
    }
}
