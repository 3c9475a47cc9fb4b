using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Analysis;

/// <summary>
/// The trend of a dyno incarnation's memory (RSS + swap) against its quota: when it will reach the quota at the
/// current rate ("in about 35 min"), and since when it has been swapping.
/// </summary>
public sealed record MemoryHeadroom(
    double CurrentMb,
    double QuotaMb,
    double TrendMbPerMinute,
    double? MinutesToQuota,
    DateTimeOffset? SwappingSince)
{
    /// <summary>Samples older than this do not shape the trend: a leak's rate changes, and so does traffic.</summary>
    public static readonly TimeSpan TrendWindow = TimeSpan.FromMinutes(30);

    /// <summary>Below this growth the memory is flat, and "reaches the quota in 9 days" would only be noise.</summary>
    public const double MinTrendMbPerMinute = 0.1;

    /// <summary>
    /// Estimates from the incarnation's RSS and swap series (same timestamps, oldest first). Null when there are
    /// fewer than three samples or no quota.
    /// </summary>
    public static MemoryHeadroom? Estimate(IReadOnlyList<SeriesPoint> rss, IReadOnlyList<SeriesPoint> swap, double quotaMb,
        DateTimeOffset? incarnationSince = null)
    {
        ArgumentNullException.ThrowIfNull(rss);
        ArgumentNullException.ThrowIfNull(swap);
        if (double.IsNaN(quotaMb) || quotaMb <= 0 || rss.Count < 3)
        {
            return null;
        }

        var swapAt = new Dictionary<DateTimeOffset, double>(swap.Count);
        foreach (var point in swap)
        {
            swapAt[point.T] = point.V;
        }

        var newest = rss[^1].T;
        var start = newest - TrendWindow;
        if (incarnationSince is { } since && since > start)
        {
            start = since;
        }

        // Least squares over the window: x in minutes from the newest sample, y = RSS + swap.
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var point in rss)
        {
            if (point.T < start)
            {
                continue;
            }

            var x = (point.T - newest).TotalMinutes;
            var y = point.V + swapAt.GetValueOrDefault(point.T);
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        var current = rss[^1].V + swapAt.GetValueOrDefault(newest);
        var denominator = (n * sxx) - (sx * sx);
        var slope = n >= 3 && denominator > 0 ? ((n * sxy) - (sx * sy)) / denominator : 0;
        double? minutes = slope >= MinTrendMbPerMinute && current < quotaMb ? (quotaMb - current) / slope : null;
        return new MemoryHeadroom(current, quotaMb, slope, minutes, FindSwappingSince(swap, incarnationSince));
    }

    /// <summary>The start of the newest unbroken run of samples with swap in use, or null when not swapping now.</summary>
    private static DateTimeOffset? FindSwappingSince(IReadOnlyList<SeriesPoint> swap, DateTimeOffset? incarnationSince)
    {
        DateTimeOffset? since = null;
        for (var i = swap.Count - 1; i >= 0; i--)
        {
            if (swap[i].V <= 0 || (incarnationSince is { } s && swap[i].T < s))
            {
                break;
            }

            since = swap[i].T;
        }

        return since;
    }
}

/// <summary>Memory headroom of every dyno of an app, read from the live store.</summary>
public static class FleetHeadroom
{
    /// <summary>Each dyno's headroom over its current incarnation; dynos without enough samples are left out.</summary>
    public static IReadOnlyList<(DynoName Dyno, MemoryHeadroom Headroom)> Read(LiveStore store, string app)
    {
        ArgumentNullException.ThrowIfNull(store);
        var result = new List<(DynoName, MemoryHeadroom)>();
        foreach (var dyno in store.GetDynos(app) ?? [])
        {
            if (dyno.Latest is not { } latest)
            {
                continue;
            }

            var from = latest.Time - MemoryHeadroom.TrendWindow;
            var rss = store.GetSeries(app, dyno.Name, RuntimeMetric.MemoryRss, from, latest.Time.AddTicks(1)) ?? [];
            var swap = store.GetSeries(app, dyno.Name, RuntimeMetric.MemorySwap, from, latest.Time.AddTicks(1)) ?? [];
            if (MemoryHeadroom.Estimate(rss, swap, latest.MemoryQuotaMb, dyno.IncarnationSince) is { } headroom)
            {
                result.Add((dyno.Name, headroom));
            }
        }

        return result;
    }
}
