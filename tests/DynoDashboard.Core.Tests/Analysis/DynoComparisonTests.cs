using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using static DynoDashboard.Core.Tests.Live.TestLines;

namespace DynoDashboard.Core.Tests.Analysis;

public sealed class DynoComparisonTests
{
    private static DynoActivity Activity(LiveStore store, string dyno)
    {
        var name = new DynoName(dyno);
        var rollups = store.GetRollups("app", name, DateTimeOffset.MinValue, DateTimeOffset.MaxValue) ?? [];
        return new DynoActivity(name, RouterRollupSnapshot.Merge(T0, T0.AddMinutes(10), rollups),
            store.GetSeries("app", name, RuntimeMetric.LoadAvg1m, DateTimeOffset.MinValue, DateTimeOffset.MaxValue) ?? [],
            store.GetSeries("app", name, RuntimeMetric.MemoryTotal, DateTimeOffset.MinValue, DateTimeOffset.MaxValue) ?? [],
            store.GetSeries("app", name, RuntimeMetric.MemorySwap, DateTimeOffset.MinValue, DateTimeOffset.MaxValue) ?? []);
    }

    /// <summary>Four web dynos with equal traffic; web.2 also answers 12 H12s, web.3 one H13.</summary>
    private static LiveStore Fleet()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        foreach (var dyno in new[] { "web.1", "web.2", "web.3", "web.4" })
        {
            for (var i = 0; i < 24; i++)
            {
                Router(writer, T0.AddSeconds(i * 20), dyno, service: dyno == "web.2" ? 900 : 40);
            }

            Load(writer, T0, dyno, dyno == "web.2" ? 2 : 0.5);
            Memory(writer, T0, dyno, dyno == "web.2" ? 600 : 300);
        }

        for (var i = 0; i < 12; i++)
        {
            Router(writer, T0.AddSeconds(5 + i * 30), "web.2", status: 503, service: 30_000, code: H12);
        }

        Router(writer, T0.AddSeconds(7), "web.3", status: 503, code: H13);
        return store;
    }

    [Fact]
    public void Compare_Web2HasTheErrors_OnlyWeb2Flagged()
    {
        var store = Fleet();

        var rows = DynoComparison.Compare([.. new[] { "web.1", "web.2", "web.3", "web.4" }.Select(d => Activity(store, d))],
            TimeSpan.FromMinutes(10));

        Assert.Equal(["web.2"], rows.Where(r => r.ErrorOutlier).Select(r => r.Dyno.Value));
        var web2 = rows.Single(r => r.Dyno.Value == "web.2");
        Assert.Equal(36, web2.Requests);
        Assert.Equal(36.0 / 109, web2.RequestShare, 6);
        Assert.Equal(12.0 / 13, web2.ErrorShare, 6);
        Assert.Equal(3.6, web2.RequestsPerMinute, 6);
        Assert.Equal(12, web2.ErrorsByCode["H12"]);
        Assert.Equal(2, web2.MaxLoad);
        Assert.Equal(600, web2.MaxMemoryMb);
        Assert.True(web2.P95ServiceMs > 5_000);
        Assert.Equal(1.0, rows.Sum(r => r.RequestShare), 6);
    }

    [Fact]
    public void Compare_NoTraffic_SharesZeroFiguresNaN()
    {
        var store = new LiveStore(new LiveStoreOptions());
        store.GetWriter("app");
        Load(store.GetWriter("app"), T0, "web.1", 1);

        var row = Assert.Single(DynoComparison.Compare([Activity(store, "web.1")], TimeSpan.FromMinutes(10)));

        Assert.Equal(0, row.RequestShare);
        Assert.Equal(0, row.ErrorShare);
        Assert.True(double.IsNaN(row.P95ServiceMs));
        Assert.True(double.IsNaN(row.MaxSwapMb));
        Assert.False(row.ErrorOutlier);
    }

    [Theory]
    [InlineData(4, 1.0, 0.25, false)]
    [InlineData(5, 1.0, 0.25, true)]
    [InlineData(50, 0.45, 0.25, false)]
    [InlineData(50, 0.5, 0.25, true)]
    [InlineData(50, 0.3, 0.1, false)]
    public void IsErrorOutlier_Thresholds(int errors, double errorShare, double requestShare, bool expected) =>
        Assert.Equal(expected, DynoComparison.IsErrorOutlier(errors, errorShare, requestShare));
}
