namespace DynoDashboard.Core.Model;

/// <summary>
/// One log-runtime-metrics reading of a dyno. Heroku sends the load line and the memory line as two
/// messages with the same timestamp; the live store merges them into one sample. A value that the
/// line did not carry is <see cref="double.NaN"/> (kept as NaN rather than <c>double?</c> so a sample
/// stays 104 bytes in the ring buffers; the API turns NaN into null).
/// </summary>
public readonly record struct RuntimeSample(
    DateTimeOffset Time,
    double Load1m,
    double Load5m,
    double Load15m,
    double MemoryTotalMb,
    double MemoryRssMb,
    double MemoryCacheMb,
    double MemorySwapMb,
    double MemoryQuotaMb,
    double MemoryPgpgIn,
    double MemoryPgpgOut)
{
    /// <summary>A sample at <paramref name="time"/> with every metric missing.</summary>
    public static RuntimeSample Empty(DateTimeOffset time) =>
        new(time, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
            double.NaN, double.NaN);

    public bool HasLoad => !double.IsNaN(Load1m);

    public bool HasMemory => !double.IsNaN(MemoryTotalMb) || !double.IsNaN(MemoryRssMb);

    /// <summary>Fills the metrics this sample lacks from <paramref name="other"/> (the load half meets the memory half).</summary>
    public RuntimeSample MergeWith(in RuntimeSample other) => new(
        Time,
        Pick(Load1m, other.Load1m),
        Pick(Load5m, other.Load5m),
        Pick(Load15m, other.Load15m),
        Pick(MemoryTotalMb, other.MemoryTotalMb),
        Pick(MemoryRssMb, other.MemoryRssMb),
        Pick(MemoryCacheMb, other.MemoryCacheMb),
        Pick(MemorySwapMb, other.MemorySwapMb),
        Pick(MemoryQuotaMb, other.MemoryQuotaMb),
        Pick(MemoryPgpgIn, other.MemoryPgpgIn),
        Pick(MemoryPgpgOut, other.MemoryPgpgOut));

    /// <summary>The value of a metric by Heroku's name without <c>sample#</c> (<c>memory_swap</c>); NaN when unknown.</summary>
    public double Get(RuntimeMetric metric) => metric switch
    {
        RuntimeMetric.LoadAvg1m => Load1m,
        RuntimeMetric.LoadAvg5m => Load5m,
        RuntimeMetric.LoadAvg15m => Load15m,
        RuntimeMetric.MemoryTotal => MemoryTotalMb,
        RuntimeMetric.MemoryRss => MemoryRssMb,
        RuntimeMetric.MemoryCache => MemoryCacheMb,
        RuntimeMetric.MemorySwap => MemorySwapMb,
        RuntimeMetric.MemoryQuota => MemoryQuotaMb,
        RuntimeMetric.MemoryPgpgIn => MemoryPgpgIn,
        RuntimeMetric.MemoryPgpgOut => MemoryPgpgOut,
        _ => double.NaN,
    };

    private static double Pick(double mine, double theirs) => double.IsNaN(mine) ? theirs : mine;
}

/// <summary>The metrics of log-runtime-metrics.</summary>
public enum RuntimeMetric
{
    LoadAvg1m,
    LoadAvg5m,
    LoadAvg15m,
    MemoryTotal,
    MemoryRss,
    MemoryCache,
    MemorySwap,
    MemoryQuota,
    MemoryPgpgIn,
    MemoryPgpgOut,
}

/// <summary>Heroku's names for <see cref="RuntimeMetric"/> (without <c>sample#</c>) and their units.</summary>
public static class RuntimeMetrics
{
    private static readonly (RuntimeMetric Metric, string Name, string Unit)[] s_all =
    [
        (RuntimeMetric.LoadAvg1m, "load_avg_1m", "load"),
        (RuntimeMetric.LoadAvg5m, "load_avg_5m", "load"),
        (RuntimeMetric.LoadAvg15m, "load_avg_15m", "load"),
        (RuntimeMetric.MemoryTotal, "memory_total", "MB"),
        (RuntimeMetric.MemoryRss, "memory_rss", "MB"),
        (RuntimeMetric.MemoryCache, "memory_cache", "MB"),
        (RuntimeMetric.MemorySwap, "memory_swap", "MB"),
        (RuntimeMetric.MemoryQuota, "memory_quota", "MB"),
        (RuntimeMetric.MemoryPgpgIn, "memory_pgpgin", "pages"),
        (RuntimeMetric.MemoryPgpgOut, "memory_pgpgout", "pages"),
    ];

    public static IEnumerable<string> Names => s_all.Select(m => m.Name);

    public static string NameOf(RuntimeMetric metric) => s_all[(int)metric].Name;

    public static string UnitOf(RuntimeMetric metric) => s_all[(int)metric].Unit;

    public static bool TryParse(string? name, out RuntimeMetric metric)
    {
        foreach (var m in s_all)
        {
            if (string.Equals(m.Name, name, StringComparison.Ordinal))
            {
                metric = m.Metric;
                return true;
            }
        }

        metric = default;
        return false;
    }
}
