using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using static DynoDashboard.Core.Tests.Live.TestLines;

namespace DynoDashboard.Core.Tests.Live;

public sealed class RouterRollupTests
{
    [Fact]
    public void Reset_AfterTraffic_EmptyAtNewStart()
    {
        var rollup = new RouterRollup(T0);
        rollup.Add(new RouterRequest { Time = T0, Level = RouterLevel.Error, Code = H12, Status = 503, ServiceMs = 30_000, Message = default });

        rollup.Reset(T0.AddSeconds(10));

        Assert.Equal(T0.AddSeconds(10), rollup.Start);
        Assert.Equal(0, rollup.Requests);
        Assert.Equal(0, rollup.Errors);
        Assert.Equal(0, rollup.ErrorCount("H12"));
        Assert.Equal(0, rollup.StatusClassCount(5));
        Assert.Equal(0, rollup.Service.Count);
    }

    [Fact]
    public void Merge_WindowOfSnapshots_SumsCountsAndCombinesLatency()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        for (var i = 0; i < 100; i++)
        {
            Router(writer, T0.AddSeconds(i), "web.1", status: i % 10 == 0 ? 503 : 200, service: i + 1,
                code: i % 10 == 0 ? H12 : null, bytes: 10);
        }

        var window = store.GetRollups("app", new DynoName("web.1"), T0, T0.AddSeconds(99))!;

        var merged = RouterRollupSnapshot.Merge(T0, T0.AddSeconds(100), window);

        Assert.Equal(10, window.Count);
        Assert.Equal(100, merged.Requests);
        Assert.Equal(10, merged.Errors);
        Assert.Equal(10, merged.ErrorsByCode["H12"]);
        Assert.Equal(new StatusClassCounts(0, 90, 0, 0, 10, 0), merged.StatusClasses);
        Assert.Equal(1_000, merged.Bytes);
        Assert.Equal(100, merged.Service.Count);
        Assert.Equal(100, merged.Service.Max);
        Assert.InRange(merged.Service.Percentile(95), 95 * 0.95, 95 * 1.05);
    }

    [Fact]
    public void Merge_EmptyWindow_ZeroCountsAndNaNPercentile()
    {
        var merged = RouterRollupSnapshot.Merge(T0, T0.AddHours(1), []);

        Assert.Equal(0, merged.Requests);
        Assert.Empty(merged.ErrorsByCode);
        Assert.True(double.IsNaN(merged.Connect.Percentile(50)));
    }
}
