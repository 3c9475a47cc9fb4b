using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.Analysis;

/// <summary>Rates and chart buckets from a dyno's 10-s router rollups.</summary>
public static class RouterTraffic
{
    private static readonly TimeSpan s_rollupWidth = TimeSpan.FromSeconds(LiveStoreOptions.RollupBucketSeconds);

    /// <summary>
    /// Requests per minute in [<paramref name="from"/>, <paramref name="to"/>]. The rate is taken over the part of the
    /// window the rollups cover, so a dyno that started two minutes ago is not diluted by eight empty minutes.
    /// </summary>
    public static double RequestsPerMinute(IReadOnlyList<RouterRollupSnapshot> rollups, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        var requests = 0;
        DateTimeOffset? first = null;
        foreach (var rollup in rollups)
        {
            if (rollup.End > from && rollup.Start <= to)
            {
                requests += rollup.Requests;
                first ??= rollup.Start;
            }
        }

        return first is { } start ? PerMinute(requests, Covered(start < from ? from : start, to)) : 0;
    }

    /// <summary>
    /// A bucket width for a chart of <paramref name="window"/> that stays at or under <paramref name="maxBuckets"/>
    /// buckets: a whole number of rollups, and at least a minute so "per minute" means what it says.
    /// </summary>
    public static TimeSpan BucketWidthFor(TimeSpan window, int maxBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuckets, 1);
        var rollups = (long)Math.Ceiling(window.Ticks / (double)maxBuckets / s_rollupWidth.Ticks);
        return TimeSpan.FromTicks(Math.Max(6, rollups) * s_rollupWidth.Ticks);
    }

    /// <summary>
    /// The rollups merged into buckets of <paramref name="width"/> aligned to whole multiples of it, oldest first.
    /// Empty buckets are left out (the chart draws a gap rather than a false zero before data began).
    /// </summary>
    public static IReadOnlyList<RouterRollupSnapshot> Rebucket(
        IReadOnlyList<RouterRollupSnapshot> rollups, DateTimeOffset from, DateTimeOffset to, TimeSpan width)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, s_rollupWidth);
        return rollups
            .Where(r => r.End > from && r.Start <= to)
            .GroupBy(r => r.Start.UtcTicks / width.Ticks)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var start = new DateTimeOffset(g.Key * width.Ticks, TimeSpan.Zero);
                return RouterRollupSnapshot.Merge(start, start + width, g);
            })
            .ToList();
    }

    /// <summary>
    /// <paramref name="count"/> per minute over the bucket; the newest bucket is still filling, so it counts only up
    /// to <paramref name="dataEnd"/> (the app's newest data) rather than reading low.
    /// </summary>
    public static double PerMinute(int count, RouterRollupSnapshot bucket, DateTimeOffset dataEnd)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return PerMinute(count, Covered(bucket.Start, bucket.End < dataEnd ? bucket.End : dataEnd));
    }

    private static TimeSpan Covered(DateTimeOffset start, DateTimeOffset end)
    {
        var span = end - start;
        return span < s_rollupWidth ? s_rollupWidth : span;
    }

    private static double PerMinute(int count, TimeSpan span) => count / span.TotalMinutes;
}
