using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Analysis;

/// <summary>
/// What one dyno looked like over an evaluation window: the inputs of sibling comparison. Router figures
/// cover the window; runtime figures come from the newest sample (null when the dyno sent none in the window).
/// </summary>
public sealed record DynoSignals(
    DynoName Dyno,
    int Requests,
    double? P95ServiceMs,
    IReadOnlyDictionary<string, int> ErrorsByCode,
    int Status5xx,
    double? SwapMb,
    double? MemoryOfQuotaPercent,
    double? Load1m)
{
    public string ProcessType => Dyno.ProcessType;

    /// <summary>
    /// Reads every dyno of <paramref name="app"/> over the <paramref name="window"/> before the app's newest data
    /// (the data's clock, not the wall clock). Null for an unknown app.
    /// </summary>
    public static (DateTimeOffset Now, IReadOnlyList<DynoSignals> Dynos)? Read(LiveStore store, string app, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(store);
        var dynos = store.GetDynos(app);
        if (dynos is null)
        {
            return null;
        }

        var now = dynos.Select(d => d.LastSeen ?? DateTimeOffset.MinValue).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var from = now - window;
        var result = new List<DynoSignals>(dynos.Count);
        foreach (var dyno in dynos)
        {
            // The end is exclusive in the store; one bucket past "now" keeps the newest requests in.
            var rollups = store.GetRollups(app, dyno.Name, from, now.AddSeconds(LiveStoreOptions.RollupBucketSeconds)) ?? [];
            var merged = RouterRollupSnapshot.Merge(from, now, rollups);
            var sample = dyno.Latest is { } latest && latest.Time >= from ? latest : (RuntimeSample?)null;
            result.Add(new DynoSignals(
                dyno.Name,
                merged.Requests,
                merged.Service.Count > 0 ? merged.Service.Percentile(95) : null,
                merged.ErrorsByCode,
                merged.StatusClasses.S5xx,
                Number(sample?.MemorySwapMb),
                MemoryOfQuota(sample),
                Number(sample?.Load1m)));
        }

        return (now, result);
    }

    /// <summary>RSS + swap against the quota, in percent: what Heroku's R14/R15 are about.</summary>
    private static double? MemoryOfQuota(RuntimeSample? sample)
    {
        if (sample is not { } s || double.IsNaN(s.MemoryQuotaMb) || s.MemoryQuotaMb <= 0 || double.IsNaN(s.MemoryRssMb))
        {
            return null;
        }

        var swap = double.IsNaN(s.MemorySwapMb) ? 0 : s.MemorySwapMb;
        return 100 * (s.MemoryRssMb + swap) / s.MemoryQuotaMb;
    }

    private static double? Number(double? value) => value is { } v && !double.IsNaN(v) ? v : null;
}
