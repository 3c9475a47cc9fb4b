using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.Tests.History;

public sealed class SeriesDownsamplerTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Downsample_FewerPointsThanBudget_ReturnsThemUnchanged()
    {
        var points = Points(10, i => i);

        Assert.Same(points, SeriesDownsampler.Downsample(points, 10));
    }

    [Fact]
    public void Downsample_WeekAtTwentySeconds_StaysWithinBudgetKeepsSpikeAndOrder()
    {
        // 30,240 points = 7 days at one per 20 s, with one memory spike in the middle.
        var points = Points(30_240, i => i == 15_000 ? 2_000 : 300 + (i % 7));

        var result = SeriesDownsampler.Downsample(points, 1_000);

        Assert.InRange(result.Count, 900, 1_000);
        Assert.Contains(result, p => p.V == 2_000);
        Assert.Equal(300, result.Min(p => p.V));
        Assert.Equal(points[0], result[0]);
        Assert.True(result.Zip(result.Skip(1)).All(pair => pair.First.T < pair.Second.T));
    }

    private static List<SeriesPoint> Points(int count, Func<int, double> value) =>
        [.. Enumerable.Range(0, count).Select(i => new SeriesPoint(s_t0.AddSeconds(20 * i), value(i)))];
}
