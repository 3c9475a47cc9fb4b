using System.Numerics;

namespace DynoDashboard.Core.Live;

/// <summary>
/// A sparse log-linear histogram of whole milliseconds (router <c>connect=</c> and <c>service=</c>) for
/// p50/p95/p99. Values below 32 ms have a bucket each (exact); above, every power of two is split into
/// 32 equal buckets, so a bucket is at most 1/32 (3.1 %) of its lower bound wide and the reported midpoint
/// is within 1.6 % of any value in it. 0 ms to int.MaxValue needs 864 buckets in all.
/// <para>
/// Why not HdrHistogram: its dense counts array is ~5 KB per instance at 2 significant digits, and the
/// live store keeps 360 ten-second buckets × 2 metrics × up to hundreds of dynos. A 10-s bucket of one
/// dyno touches a few dozen buckets, so we keep only those: two small sorted arrays (bucket key, count)
/// that double when they grow and are kept across <see cref="Reset"/>, so steady-state recording into a
/// recycled rollup allocates nothing.
/// </para>
/// Not thread-safe; the store guards it, and snapshots hand out clones.
/// </summary>
public sealed partial class LatencyHistogram
{
    /// <summary>Values below this have their own bucket.</summary>
    public const int ExactBelow = 1 << SubBucketBits;

    private const int SubBucketBits = 5;

    private ushort[] _keys = [];
    private long[] _counts = [];
    private int _used;

    public long Count { get; private set; }

    public long Sum { get; private set; }

    /// <summary>The largest recorded value; 0 when empty.</summary>
    public int Max { get; private set; }

    /// <summary>The smallest recorded value; 0 when empty.</summary>
    public int Min { get; private set; }

    public double Mean => Count == 0 ? double.NaN : (double)Sum / Count;

    /// <summary>How many distinct buckets hold values (the memory it uses).</summary>
    public int BucketCount => _used;

    /// <summary>Records one value; negative values count as 0.</summary>
    public void Record(int milliseconds) => Record(milliseconds, 1);

    public void Record(int milliseconds, long count)
    {
        if (count <= 0)
        {
            return;
        }

        milliseconds = Math.Max(0, milliseconds);
        AddToBucket(BucketOf(milliseconds), count);
        Min = Count == 0 ? milliseconds : Math.Min(Min, milliseconds);
        Max = Math.Max(Max, milliseconds);
        Count += count;
        Sum += milliseconds * count;
    }

    /// <summary>
    /// The value at percentile <paramref name="percentile"/> (0–100) by nearest rank: exact below
    /// <see cref="ExactBelow"/> ms, else the bucket midpoint (Min or Max in the lowest or highest bucket). NaN when empty.
    /// </summary>
    public double Percentile(double percentile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < _used; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                // The extreme buckets report the exact Min/Max (still inside the bucket, so within its
                // error): an H12 tail is exactly 30000 ms and should read as 30 s, not 29.95 s.
                if (i == _used - 1)
                {
                    return Max;
                }

                if (i == 0)
                {
                    return Min;
                }

                var (low, width) = RangeOf(_keys[i]);
                return width == 1 ? low : low + ((width - 1) / 2.0);
            }
        }

        return Max;
    }

    /// <summary>Adds every value of <paramref name="other"/> to this histogram.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        for (var i = 0; i < other._used; i++)
        {
            AddToBucket(other._keys[i], other._counts[i]);
        }

        Min = Count == 0 ? other.Min : Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        Count += other.Count;
        Sum += other.Sum;
    }

    /// <summary>Empties the histogram but keeps its arrays, for a recycled rollup.</summary>
    public void Reset()
    {
        _used = 0;
        Count = 0;
        Sum = 0;
        Max = 0;
        Min = 0;
    }

    public LatencyHistogram Clone()
    {
        var copy = new LatencyHistogram
        {
            _keys = _keys.AsSpan(0, _used).ToArray(),
            _counts = _counts.AsSpan(0, _used).ToArray(),
            _used = _used,
        };
        copy.Count = Count;
        copy.Sum = Sum;
        copy.Max = Max;
        copy.Min = Min;
        return copy;
    }

    /// <summary>The bucket key of a non-negative value.</summary>
    internal static int BucketOf(int value)
    {
        if (value < ExactBelow)
        {
            return value;
        }

        var shift = (31 - BitOperations.LeadingZeroCount((uint)value)) - SubBucketBits;
        var sub = (value >> shift) - ExactBelow;
        return ExactBelow + (shift * ExactBelow) + sub;
    }

    /// <summary>The lowest value of bucket <paramref name="key"/> and how many values it spans.</summary>
    internal static (long Low, long Width) RangeOf(int key)
    {
        if (key < ExactBelow)
        {
            return (key, 1);
        }

        var shift = (key - ExactBelow) / ExactBelow;
        var sub = (key - ExactBelow) % ExactBelow;
        return ((long)(ExactBelow + sub) << shift, 1L << shift);
    }

    private void AddToBucket(int key, long count)
    {
        var index = _keys.AsSpan(0, _used).BinarySearch((ushort)key);
        if (index >= 0)
        {
            _counts[index] += count;
            return;
        }

        index = ~index;
        if (_used == _keys.Length)
        {
            var size = Math.Max(4, _keys.Length * 2);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _counts, size);
        }

        Array.Copy(_keys, index, _keys, index + 1, _used - index);
        Array.Copy(_counts, index, _counts, index + 1, _used - index);
        _keys[index] = (ushort)key;
        _counts[index] = count;
        _used++;
    }
}
