using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Tests.Analysis;

public sealed class DynoHealthTests
{
    private static readonly DateTimeOffset s_t0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static DynoSnapshot Dyno(double rss, double swap, IReadOnlyDictionary<string, int>? errors = null, string? state = "up") =>
        new(new DynoName("web.2"), "web", "heroku.1.a", s_t0, s_t0, state,
            RuntimeSample.Empty(s_t0) with { MemoryRssMb = rss, MemorySwapMb = swap, MemoryQuotaMb = 512 },
            100, errors?.Values.Sum() ?? 0, errors ?? new Dictionary<string, int>(), []);

    [Fact]
    public void Assess_Healthy_NoConcernsAndSaysSo()
    {
        var health = DynoHealth.Assess(Dyno(300, 0));

        Assert.True(health.IsHealthy);
        Assert.Equal("Healthy", health.Summary);
    }

    [Fact]
    public void Assess_SwappingOverQuotaAndErroring_AllConcernsInWords()
    {
        var health = DynoHealth.Assess(Dyno(500, 130, new Dictionary<string, int> { ["H13"] = 3, ["H12"] = 14 }));

        Assert.Equal(DynoConcern.Swapping | DynoConcern.OverQuota | DynoConcern.Erroring, health.Concerns);
        Assert.Equal("Swapping 130 MB · Over quota (630 of 512 MB) · H12 ×14, H13 ×3", health.Summary);
    }

    [Fact]
    public void Assess_OneStrayError_StillHealthy() =>
        Assert.True(DynoHealth.Assess(Dyno(300, 0, new Dictionary<string, int> { ["H18"] = 1 })).IsHealthy);

    [Fact]
    public void Assess_SwapBelowThreshold_NotSwapping() =>
        Assert.True(DynoHealth.Assess(Dyno(300, 0.4)).IsHealthy);

    [Fact]
    public void Assess_Crashed_Flagged() =>
        Assert.Equal(DynoConcern.Crashed, DynoHealth.Assess(Dyno(300, 0, state: "crashed")).Concerns);

    [Fact]
    public void Assess_NoSample_OnlyErrorsCount() =>
        Assert.True(DynoHealth.Assess(Dyno(300, 0) with { Latest = null }).IsHealthy);
}
