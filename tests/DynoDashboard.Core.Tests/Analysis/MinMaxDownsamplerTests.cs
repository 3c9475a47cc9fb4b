using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.Tests.Analysis;

public sealed class MinMaxDownsamplerTests
{
    private static readonly DateTimeOffset s_t0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static List<SeriesPoint> Points(int count, Func<int, double> value) =>
        [.. Enumerable.Range(0, count).Select(i => new SeriesPoint(s_t0.AddSeconds(i), value(i)))];

    [Fact]
    public void Downsample_FitsAlready_ReturnsPointsInsideWindow()
    {
        var points = Points(10, i => i);

        var result = MinMaxDownsampler.Downsample(points, s_t0.AddSeconds(2), s_t0.AddSeconds(5), 100);

        Assert.Equal(points.Skip(2).Take(4), result);
    }

    [Fact]
    public void Downsample_ManyPoints_NeverMoreThanMaxAndTimeOrdered()
    {
        var points = Points(10_000, i => Math.Sin(i / 50.0));

        var result = MinMaxDownsampler.Downsample(points, s_t0, s_t0.AddSeconds(9_999), 300);

        Assert.InRange(result.Count, 2, 300);
        Assert.True(result.Zip(result.Skip(1)).All(pair => pair.First.T < pair.Second.T));
    }

    [Fact]
    public void Downsample_SingleSpike_SpikeSurvives()
    {
        var points = Points(5_000, i => i == 2_345 ? 900 : 1);

        var result = MinMaxDownsampler.Downsample(points, s_t0, s_t0.AddSeconds(4_999), 100);

        Assert.Contains(new SeriesPoint(s_t0.AddSeconds(2_345), 900), result);
        Assert.Equal(1, result.Min(p => p.V));
    }

    [Fact]
    public void Downsample_NewestPointNeitherMinNorMax_StillLast()
    {
        var points = Points(1_000, i => i == 999 ? 1 : i % 3 == 0 ? 0 : 2);

        var result = MinMaxDownsampler.Downsample(points, s_t0, s_t0.AddSeconds(999), 51);

        Assert.Equal(points[^1], result[^1]);
        Assert.InRange(result.Count, 2, 51);
    }

    [Fact]
    public void Downsample_MaxBelowTwo_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MinMaxDownsampler.Downsample([], s_t0, s_t0, 1));
}
