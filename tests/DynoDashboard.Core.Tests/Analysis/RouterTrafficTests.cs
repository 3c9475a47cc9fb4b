using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using static DynoDashboard.Core.Tests.Live.TestLines;

namespace DynoDashboard.Core.Tests.Analysis;

public sealed class RouterTrafficTests
{
    private static readonly DynoName s_web1 = new("web.1");

    private static IReadOnlyList<RouterRollupSnapshot> TwoRequestsEveryTenSecondsFor(TimeSpan span)
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        for (var t = TimeSpan.Zero; t < span; t += TimeSpan.FromSeconds(10))
        {
            Router(writer, T0 + t, "web.1");
            Router(writer, T0 + t + TimeSpan.FromSeconds(1), "web.1", status: 503, code: H12);
        }

        return store.GetRollups("app", s_web1, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)!;
    }

    [Fact]
    public void RequestsPerMinute_FullWindow_TotalOverMinutes()
    {
        var rollups = TwoRequestsEveryTenSecondsFor(TimeSpan.FromMinutes(10));

        Assert.Equal(12, RouterTraffic.RequestsPerMinute(rollups, T0, T0.AddMinutes(10)), 3);
    }

    [Fact]
    public void RequestsPerMinute_DataStartsInsideWindow_RateOverCoveredPartOnly()
    {
        var rollups = TwoRequestsEveryTenSecondsFor(TimeSpan.FromMinutes(2));

        Assert.Equal(12, RouterTraffic.RequestsPerMinute(rollups, T0.AddMinutes(-8), T0.AddMinutes(2)), 3);
    }

    [Fact]
    public void RequestsPerMinute_NoRollups_Zero() =>
        Assert.Equal(0, RouterTraffic.RequestsPerMinute([], T0, T0.AddMinutes(5)));

    [Theory]
    [InlineData(15, 300, 60)]
    [InlineData(60, 300, 60)]
    [InlineData(24 * 60, 300, 290)]
    public void BucketWidthFor_Window_WholeRollupsAtLeastAMinute(int windowMinutes, int maxBuckets, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds),
            RouterTraffic.BucketWidthFor(TimeSpan.FromMinutes(windowMinutes), maxBuckets));

    [Fact]
    public void Rebucket_MinuteBuckets_MergesSixRollupsEach()
    {
        var rollups = TwoRequestsEveryTenSecondsFor(TimeSpan.FromMinutes(3));

        var buckets = RouterTraffic.Rebucket(rollups, T0, T0.AddMinutes(3), TimeSpan.FromMinutes(1));

        Assert.Equal([T0, T0.AddMinutes(1), T0.AddMinutes(2)], buckets.Select(b => b.Start));
        Assert.All(buckets, b =>
        {
            Assert.Equal(12, b.Requests);
            Assert.Equal(6, b.StatusClasses.S5xx);
            Assert.Equal(6, b.ErrorsByCode["H12"]);
        });
    }

    [Fact]
    public void PerMinute_NewestBucketStillFilling_RateOverFilledPart()
    {
        var bucket = RouterTraffic.Rebucket(TwoRequestsEveryTenSecondsFor(TimeSpan.FromSeconds(30)), T0, T0.AddMinutes(1),
            TimeSpan.FromMinutes(1)).Single();

        Assert.Equal(12, RouterTraffic.PerMinute(bucket.Requests, bucket, T0.AddSeconds(30)), 3);
    }
}
