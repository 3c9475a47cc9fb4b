using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.Tests.Live;

public sealed class LatencyHistogramTests
{
    private static readonly double[] s_percentiles = [0, 1, 10, 50, 90, 95, 99, 99.9, 100];

    [Fact]
    public void Percentile_Empty_IsNaN()
    {
        var histogram = new LatencyHistogram();

        Assert.True(double.IsNaN(histogram.Percentile(50)));
        Assert.Equal(0, histogram.Count);
    }

    [Fact]
    public void Percentile_BelowExactThreshold_IsExact()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 0; ms < LatencyHistogram.ExactBelow; ms++)
        {
            histogram.Record(ms);
        }

        Assert.Equal(15, histogram.Percentile(50));
        Assert.Equal(0, histogram.Percentile(0));
        Assert.Equal(31, histogram.Percentile(100));
    }

    [Fact]
    public void BucketOf_AnyValue_BucketContainsItAndIsAtMostOneThirtySecondWide()
    {
        var values = Enumerable.Range(0, 70_000).Concat([int.MaxValue, int.MaxValue - 1, 1 << 30, (1 << 30) - 1]);
        var previousKey = -1;
        foreach (var value in values)
        {
            var key = LatencyHistogram.BucketOf(value);
            var (low, width) = LatencyHistogram.RangeOf(key);

            Assert.InRange(value, low, low + width - 1);
            Assert.True(width == 1 || width <= low / 32.0, $"bucket {key} of {value} is {width} wide from {low}");
            Assert.True(key >= previousKey || value > 70_000, "keys grow with values");
            previousKey = key;
        }

        Assert.True(LatencyHistogram.BucketOf(int.MaxValue) <= ushort.MaxValue);
    }

    [Fact]
    public void Percentile_Uniform_WithinFivePercent() =>
        AssertPercentilesClose(Generate(50_000, r => r.Next(0, 5_000)));

    [Fact]
    public void Percentile_LogNormal_WithinFivePercent() =>
        AssertPercentilesClose(Generate(50_000, r => (int)Math.Exp(4 + (1.2 * Gaussian(r)))));

    [Fact]
    public void Percentile_Bimodal_WithinFivePercent() =>
        AssertPercentilesClose(Generate(40_000, r => r.Next(10) < 8 ? r.Next(5, 40) : r.Next(900, 1_400)));

    [Fact]
    public void Percentile_AllEqual_ReturnsThatValue()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 1_000; i++)
        {
            histogram.Record(1_234);
        }

        foreach (var p in s_percentiles)
        {
            Assert.Equal(1_234, histogram.Percentile(p));
        }

        Assert.Equal(1, histogram.BucketCount);
    }

    [Fact]
    public void Percentile_H12TimeoutTail_ReportsThirtySeconds()
    {
        // 2 % of requests hit the router's 30 s timeout (H12, service=30000).
        var values = Generate(20_000, r => r.Next(100) < 2 ? 30_000 : (int)Math.Exp(4.5 + (0.6 * Gaussian(r))));
        AssertPercentilesClose(values);

        var histogram = new LatencyHistogram();
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        Assert.Equal(30_000, histogram.Percentile(99));
        Assert.Equal(30_000, histogram.Max);
    }

    [Fact]
    public void Merge_TwoHalves_EqualsRecordingAll()
    {
        var values = Generate(10_000, r => (int)Math.Exp(3 + (1.5 * Gaussian(r))));
        var all = new LatencyHistogram();
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        for (var i = 0; i < values.Length; i++)
        {
            all.Record(values[i]);
            (i % 3 == 0 ? first : second).Record(values[i]);
        }

        first.Merge(second);

        Assert.Equal(all.Count, first.Count);
        Assert.Equal(all.Sum, first.Sum);
        Assert.Equal(all.Max, first.Max);
        Assert.Equal(all.Min, first.Min);
        foreach (var p in s_percentiles)
        {
            Assert.Equal(all.Percentile(p), first.Percentile(p));
        }
    }

    [Fact]
    public void Merge_IntoEmpty_TakesMinAndMax()
    {
        var source = new LatencyHistogram();
        source.Record(40);
        source.Record(400);
        var target = new LatencyHistogram();

        target.Merge(source);

        Assert.Equal(40, target.Min);
        Assert.Equal(400, target.Max);
        Assert.Equal(440, target.Sum);
    }

    [Fact]
    public void Record_Negative_CountsAsZero()
    {
        var histogram = new LatencyHistogram();

        histogram.Record(-5);

        Assert.Equal(0, histogram.Percentile(50));
        Assert.Equal(1, histogram.Count);
    }

    [Fact]
    public void Reset_ThenRecord_ForgetsOldValues()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(5_000);
        histogram.Record(7);

        histogram.Reset();
        histogram.Record(12);

        Assert.Equal(1, histogram.Count);
        Assert.Equal(12, histogram.Max);
        Assert.Equal(12, histogram.Min);
        Assert.Equal(12, histogram.Percentile(99));
    }

    [Fact]
    public void Clone_ThenRecordIntoOriginal_CloneUnchanged()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(100);
        var clone = histogram.Clone();

        histogram.Record(9_000);

        Assert.Equal(1, clone.Count);
        Assert.Equal(100, clone.Max);
    }

    [Fact]
    public void Record_SteadyStateAfterReset_DoesNotAllocate()
    {
        var histogram = new LatencyHistogram();
        var values = Generate(2_000, r => (int)Math.Exp(4 + Gaussian(r)));
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        histogram.Reset();
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static int[] Generate(int count, Func<Random, int> next)
    {
        var random = new Random(count);
        var values = new int[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = next(random);
        }

        return values;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static void AssertPercentilesClose(int[] values)
    {
        var histogram = new LatencyHistogram();
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        var sorted = values.Order().ToArray();
        foreach (var p in s_percentiles)
        {
            var rank = Math.Clamp((long)Math.Ceiling(p / 100 * sorted.Length), 1, sorted.Length);
            double exact = sorted[rank - 1];
            var estimate = histogram.Percentile(p);
            Assert.True(Math.Abs(estimate - exact) <= exact * 0.05,
                $"p{p}: estimate {estimate} vs exact {exact}");
        }

        Assert.Equal(values.Length, histogram.Count);
        Assert.Equal(values.Max(), histogram.Max);
        Assert.Equal(values.Sum(v => (long)v), histogram.Sum);
    }
}
