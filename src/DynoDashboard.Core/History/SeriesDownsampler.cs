using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.History;

/// <summary>
/// Cuts a series to at most a given number of points while keeping its shape: the range is split into equal
/// time buckets and each bucket contributes its minimum and its maximum, in time order. Spikes survive (a
/// mean would flatten an R14 memory peak), and a chart never gets more points than it has pixels.
/// </summary>
public static class SeriesDownsampler
{
    public static IReadOnlyList<SeriesPoint> Downsample(IReadOnlyList<SeriesPoint> points, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (points.Count <= maxPoints)
        {
            return points;
        }

        var buckets = maxPoints / 2;
        var first = points[0].T.UtcTicks;
        var span = Math.Max(1, points[^1].T.UtcTicks - first + 1);
        var result = new List<SeriesPoint>(maxPoints);
        var index = 0;
        for (var b = 0; b < buckets && index < points.Count; b++)
        {
            var end = first + (long)((decimal)span * (b + 1) / buckets);
            int min = -1, max = -1;
            for (; index < points.Count && (points[index].T.UtcTicks < end || b == buckets - 1); index++)
            {
                if (min < 0 || points[index].V < points[min].V)
                {
                    min = index;
                }

                if (max < 0 || points[index].V > points[max].V)
                {
                    max = index;
                }
            }

            if (min < 0)
            {
                continue;
            }

            result.Add(points[Math.Min(min, max)]);
            if (min != max)
            {
                result.Add(points[Math.Max(min, max)]);
            }
        }

        return result;
    }
}
