using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.Analysis;

/// <summary>
/// Cuts a series down to what a chart can draw: the window is split into equal time buckets and each bucket
/// keeps only its lowest and highest point, in time order. Spikes (a swap burst, one slow minute) survive,
/// which an average would hide. The newest point is always kept, so a live chart's right edge is the latest sample.
/// </summary>
public static class MinMaxDownsampler
{
    /// <summary>
    /// At most <paramref name="maxPoints"/> points of <paramref name="points"/> (sorted by time) inside
    /// [<paramref name="from"/>, <paramref name="to"/>]. A series that already fits is returned as is (filtered).
    /// </summary>
    public static IReadOnlyList<SeriesPoint> Downsample(
        IReadOnlyList<SeriesPoint> points, DateTimeOffset from, DateTimeOffset to, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        var inside = points.Where(p => p.T >= from && p.T <= to).ToList();
        if (inside.Count <= maxPoints || to <= from)
        {
            return inside;
        }

        // One slot is held back for the newest point.
        var buckets = Math.Max(1, (maxPoints - 1) / 2);
        var width = (to - from).Ticks / (double)buckets;
        var result = new List<SeriesPoint>(buckets * 2);
        var start = 0;
        while (start < inside.Count)
        {
            var bucket = BucketOf(inside[start].T, from, width, buckets);
            var end = start;
            var min = start;
            var max = start;
            while (end < inside.Count && BucketOf(inside[end].T, from, width, buckets) == bucket)
            {
                if (inside[end].V < inside[min].V)
                {
                    min = end;
                }

                if (inside[end].V > inside[max].V)
                {
                    max = end;
                }

                end++;
            }

            // Keep time order inside the bucket so the drawn line never goes backwards.
            result.Add(inside[Math.Min(min, max)]);
            if (min != max)
            {
                result.Add(inside[Math.Max(min, max)]);
            }

            start = end;
        }

        if (result[^1] != inside[^1])
        {
            result.Add(inside[^1]);
        }

        return result;
    }

    private static int BucketOf(DateTimeOffset time, DateTimeOffset from, double width, int buckets) =>
        Math.Min(buckets - 1, (int)((time - from).Ticks / width));
}
