using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Tests.Analysis;

public sealed class SiblingOutliersTests
{
    private static readonly Dictionary<string, int> s_noErrors = [];

    private static DynoSignals Healthy(string name, int requests = 1000, double p95 = 150, double load = 0.2) =>
        new(new DynoName(name), requests, p95, s_noErrors, 0, SwapMb: 0, MemoryOfQuotaPercent: 60, Load1m: load);

    [Fact]
    public void Score_IdenticalHealthyFleet_FlagsNothing()
    {
        var fleet = new[] { Healthy("web.1"), Healthy("web.2"), Healthy("web.3"), Healthy("web.4") };

        Assert.Empty(SiblingOutliers.Score(fleet));
    }

    [Fact]
    public void Score_SmallDifferencesWithZeroSpread_AreNotOutliers()
    {
        // MAD is 0 here; without a floor on the spread a 5 ms difference would be an infinite z-score.
        var fleet = new[] { Healthy("web.1"), Healthy("web.2"), Healthy("web.3"), Healthy("web.4", p95: 155, load: 0.3) };

        Assert.Empty(SiblingOutliers.Score(fleet));
    }

    [Fact]
    public void Score_SwappingDynoWithTimeouts_IsOutlierOnEachSignalWithSiblingMedians()
    {
        var sick = new DynoSignals(new DynoName("web.2"), 900, 30000, new Dictionary<string, int> { ["H12"] = 120, ["H13"] = 30 },
            Status5xx: 150, SwapMb: 180, MemoryOfQuotaPercent: 135, Load1m: 3.2);
        var fleet = new[] { Healthy("web.1"), sick, Healthy("web.3", p95: 170), Healthy("web.4", p95: 160) };

        var score = Assert.Single(SiblingOutliers.Score(fleet));

        Assert.Equal("web.2", score.Dyno.Value);
        var names = score.Signals.Select(s => s.Name).ToList();
        Assert.Equal(["p95 service time", "H12 rate", "H13 rate", "5xx rate", "swap", "memory of quota", "load 1m"], names);
        var p95 = score.Signals[0];
        Assert.Equal(30000, p95.Value);
        Assert.Equal(160, p95.SiblingMedian);
        Assert.Equal(0, score.Signals.Single(s => s.Name == "swap").SiblingMedian);
    }

    [Fact]
    public void Score_TwoDynos_ComparesEachWithTheOther()
    {
        var sick = Healthy("web.2") with { SwapMb = 200, Load1m = 2.5 };

        var score = Assert.Single(SiblingOutliers.Score([Healthy("web.1"), sick]));

        Assert.Equal("web.2", score.Dyno.Value);
        Assert.Equal(["swap", "load 1m"], score.Signals.Select(s => s.Name));
    }

    [Fact]
    public void Score_LoneDynoOfItsType_IsNeverScored()
    {
        var worker = Healthy("worker.1") with { SwapMb = 300, Load1m = 4 };

        Assert.Empty(SiblingOutliers.Score([Healthy("web.1"), Healthy("web.2"), worker]));
    }

    [Fact]
    public void Score_TooFewRequests_IgnoresRatesAndPercentiles()
    {
        var quiet = new DynoSignals(new DynoName("web.2"), 5, 9000, new Dictionary<string, int> { ["H12"] = 4 }, 4, 0, 60, 0.2);

        Assert.Empty(SiblingOutliers.Score([Healthy("web.1"), quiet, Healthy("web.3")]));
    }

    [Fact]
    public void Score_OnlyWorseCounts_AFasterDynoIsNotAnOutlier()
    {
        Assert.Empty(SiblingOutliers.Score([Healthy("web.1", p95: 900), Healthy("web.2", p95: 100), Healthy("web.3", p95: 900)]));
    }

    [Theory]
    [InlineData(new[] { 1.0 }, 1.0)]
    [InlineData(new[] { 3.0, 1.0 }, 2.0)]
    [InlineData(new[] { 5.0, 1.0, 3.0 }, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void Median_OddAndEvenCounts(double[] values, double expected) =>
        Assert.Equal(expected, SiblingOutliers.Median(values));
}

public sealed class InsightBoardTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<DynoSignals> Fleet(bool web2Sick)
    {
        var none = new Dictionary<string, int>();
        var h12 = new Dictionary<string, int> { ["H12"] = 92 };
        var web1 = new DynoSignals(new DynoName("web.1"), 1000, 150, none, 0, 0, 60, 0.2);
        var web3 = web1 with { Dyno = new DynoName("web.3") };
        var web4 = web1 with { Dyno = new DynoName("web.4"), ErrorsByCode = new Dictionary<string, int> { ["H12"] = 8 } };
        var web2 = web2Sick
            ? new DynoSignals(new DynoName("web.2"), 960, 30000, h12, 92, 180, 135, 3.1)
            : web1 with { Dyno = new DynoName("web.2") };
        return [web1, web2, web3, web4];
    }

    [Fact]
    public void Evaluate_OutlierForLessThanThreeMinutes_IsNotYetAnInsight()
    {
        var board = new InsightBoard();

        board.Evaluate("app", s_t0, Fleet(web2Sick: true));
        var insights = board.Evaluate("app", s_t0.AddMinutes(2.9), Fleet(web2Sick: true));

        Assert.Empty(insights);
        Assert.Empty(board.Get("app"));
    }

    [Fact]
    public void Evaluate_OutlierForThreeMinutes_BecomesAnInsightWithEvidence()
    {
        var board = new InsightBoard();
        board.Evaluate("app", s_t0, Fleet(web2Sick: true));

        board.Evaluate("app", s_t0.AddMinutes(3), Fleet(web2Sick: true));

        var insight = Assert.Single(board.Get("app"));
        Assert.Equal("web.2", insight.Dyno.Value);
        Assert.Equal(Insight.OutlierKind, insight.Kind);
        Assert.Equal(s_t0, insight.Since);
        Assert.StartsWith("web.2 served 24 % of requests but had 92 % of the H12s", insight.Summary, StringComparison.Ordinal);
        Assert.Contains("swapping 180 MB", insight.Summary, StringComparison.Ordinal);
        Assert.Contains(insight.Signals, s => s.Name == "p95 service time" && s.SiblingMedian == 150);
    }

    [Fact]
    public void Evaluate_DynoRecovers_InsightClearsAndTheClockRestarts()
    {
        var board = new InsightBoard();
        board.Evaluate("app", s_t0, Fleet(web2Sick: true));
        board.Evaluate("app", s_t0.AddMinutes(4), Fleet(web2Sick: true));

        board.Evaluate("app", s_t0.AddMinutes(5), Fleet(web2Sick: false));
        var again = board.Evaluate("app", s_t0.AddMinutes(6), Fleet(web2Sick: true));

        Assert.Empty(again);
    }

    [Fact]
    public void Get_UnknownApp_IsEmpty() => Assert.Empty(new InsightBoard().Get("nope"));
}

public sealed class MemoryHeadroomTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static List<SeriesPoint> Series(Func<int, double> value, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new SeriesPoint(s_t0.AddSeconds(20 * i), value(i)))];

    [Fact]
    public void Estimate_SteadyLeak_ForecastsMinutesToQuota()
    {
        // +1 MB per sample = +3 MB/min; 60 samples (20 min) up to 359 MB: 153 MB left = 51 minutes.
        var rss = Series(i => 300 + i, 60);
        var swap = Series(_ => 0, 60);

        var headroom = MemoryHeadroom.Estimate(rss, swap, 512)!;

        Assert.Equal(3.0, headroom.TrendMbPerMinute, 6);
        Assert.Equal(51.0, headroom.MinutesToQuota!.Value, 6);
        Assert.Null(headroom.SwappingSince);
    }

    [Fact]
    public void Estimate_FlatMemory_HasNoForecast()
    {
        var headroom = MemoryHeadroom.Estimate(Series(i => 300 + (i % 2), 60), Series(_ => 0, 60), 512)!;

        Assert.Null(headroom.MinutesToQuota);
    }

    [Fact]
    public void Estimate_Swapping_SaysSinceWhenAndCountsSwapInTheTotal()
    {
        var rss = Series(_ => 500, 30);
        var swap = Series(i => i < 10 ? 0 : i - 9, 30);

        var headroom = MemoryHeadroom.Estimate(rss, swap, 512)!;

        Assert.Equal(s_t0.AddSeconds(200), headroom.SwappingSince);
        Assert.Equal(520, headroom.CurrentMb);
        Assert.Null(headroom.MinutesToQuota); // already over
    }

    [Fact]
    public void Estimate_OnlySamplesOfTheCurrentIncarnationShapeTheTrend()
    {
        // A restart at sample 30 dropped memory; the old incarnation's climb must not leak into the trend.
        var rss = Series(i => i < 30 ? 200 + (10 * i) : 250, 60);
        var swap = Series(_ => 0, 60);

        var headroom = MemoryHeadroom.Estimate(rss, swap, 512, incarnationSince: s_t0.AddSeconds(20 * 30))!;

        Assert.Equal(0, headroom.TrendMbPerMinute, 6);
    }

    [Fact]
    public void Estimate_TooFewSamplesOrNoQuota_IsNull()
    {
        Assert.Null(MemoryHeadroom.Estimate(Series(i => i, 2), Series(_ => 0, 2), 512));
        Assert.Null(MemoryHeadroom.Estimate(Series(i => i, 10), Series(_ => 0, 10), double.NaN));
    }
}
