using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Live;

/// <summary>A compact binary form for the history file: only the used buckets, keys as deltas, all varints.</summary>
public sealed partial class LatencyHistogram
{
    /// <summary>Writes the histogram; a typical 10-s bucket of one dyno takes a few dozen bytes. Written from the live
    /// rollup itself, not a copy: a rollup minute is re-encoded at every history write while it is open.</summary>
    internal void WriteTo(BlockWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write7BitEncodedInt(_used);
        var previous = 0;
        for (var i = 0; i < _used; i++)
        {
            // Keys are sorted, so deltas stay one byte in the common case.
            writer.Write7BitEncodedInt(_keys[i] - previous);
            writer.Write7BitEncodedInt64(_counts[i]);
            previous = _keys[i];
        }

        writer.Write7BitEncodedInt64(Sum);
        writer.Write7BitEncodedInt(Min);
        writer.Write7BitEncodedInt(Max);
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote.</summary>
    public static LatencyHistogram ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var used = reader.Read7BitEncodedInt();
        var histogram = new LatencyHistogram
        {
            _keys = new ushort[used],
            _counts = new long[used],
            _used = used,
        };
        var key = 0;
        long count = 0;
        for (var i = 0; i < used; i++)
        {
            key += reader.Read7BitEncodedInt();
            histogram._keys[i] = checked((ushort)key);
            histogram._counts[i] = reader.Read7BitEncodedInt64();
            count += histogram._counts[i];
        }

        histogram.Count = count;
        histogram.Sum = reader.Read7BitEncodedInt64();
        histogram.Min = reader.Read7BitEncodedInt();
        histogram.Max = reader.Read7BitEncodedInt();
        return histogram;
    }
}
