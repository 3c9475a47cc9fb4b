using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

/// <summary>A rollup minute encoded straight from its live rollups reads back as the snapshots it had.</summary>
public sealed class RollupMinuteTests
{
    private static readonly DynoName s_web1 = new("web.1");

    [Fact]
    public void EncodeDecode_SlotsWithCodesStatusesAndLatencies_SnapshotsRoundTrip()
    {
        var minute = new RollupMinute("app", s_web1, LiteDbHistoryStore.MinuteOf(TestLines.T0));
        var random = new Random(3);
        foreach (var second in new[] { 0, 1, 9, 25, 26, 59 })
        {
            for (var i = 0; i < 40; i++)
            {
                var code = (i % 7) switch { 0 => ErrorCatalog.H12, 1 => ErrorCatalog.H13, _ => null };
                int? status = (i % 11) switch { 0 => null, 1 => 404, 2 => 302, 3 => 101, _ => code is null ? 200 : 503 };
                minute.Add(new RouterFact(TestLines.T0.AddSeconds(second).AddMilliseconds(i), s_web1, status,
                    i % 5 == 0 ? null : random.Next(0, 50), random.Next(0, 40_000), i % 3 == 0 ? null : random.Next(0, 1 << 20), code));
            }
        }

        var encoded = minute.Encode();
        var decoded = RollupMinute.Decode("app", s_web1, minute.Minute, encoded, minute.LastRequest);

        var expected = minute.Snapshots().ToList();
        var actual = decoded.Snapshots().ToList();
        Assert.Equal(3, expected.Count); // slots 0, 2 and 5
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal((e.Start, e.End, e.Requests, e.StatusClasses, e.Errors, e.Bytes), (a.Start, a.End, a.Requests, a.StatusClasses, a.Errors, a.Bytes));
            Assert.Equal(e.ErrorsByCode.ToList(), a.ErrorsByCode.ToList());
            foreach (var (he, ha) in new[] { (e.Connect, a.Connect), (e.Service, a.Service) })
            {
                Assert.Equal((he.Count, he.Sum, he.Min, he.Max, he.BucketCount), (ha.Count, ha.Sum, ha.Min, ha.Max, ha.BucketCount));
                Assert.Equal(he.Percentile(50), ha.Percentile(50));
                Assert.Equal(he.Percentile(99), ha.Percentile(99));
            }
        }

        Assert.Equal(encoded, decoded.Encode());
    }
}
