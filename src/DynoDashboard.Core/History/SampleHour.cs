using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.History;

/// <summary>
/// One dyno's runtime samples in one hour: the unit of a history document. Log-runtime-metrics sends a reading
/// every 20 s, so an hour holds about 180; packing them into one binary field keeps the file small (LiteDB has no
/// compression, and its per-document overhead dominated the earlier one-minute documents) and lets a 7-day series
/// read ~170 documents instead of ~10,000.
/// <para>
/// An hour is stored as segments of at most <see cref="SegmentSize"/> readings (the first keyed by the hour, the
/// others with a <c>+kkk</c> suffix), and a write re-encodes only the segments changed since the last one. Heroku's
/// hour fits one segment; a denser source (the load generator sends a reading a second) would otherwise make every
/// write re-encode and re-store a ~144 KB document per dyno, which churned the large-object heap and grew the file
/// by gigabytes an hour.
/// </para>
/// <para>
/// Files written before hold one document per dyno-minute in the same binary layout (offsets count from the
/// document's start), so such a document decodes as a block whose readings all fall in its first minute.
/// </para>
/// </summary>
internal sealed class SampleHour(string app, DynoName dyno, long startMinute) : IOpenMinute
{
    public const long MinutesPerHour = 60;

    /// <summary>Readings per stored segment: above Heroku's 180 an hour (one segment per hour, as before), and small
    /// enough (~10 KB) to stay off the large-object heap.</summary>
    public const int SegmentSize = 256;

    private const int MetricCount = 10;
    private static readonly long s_sameReadingTicks = TimeSpan.TicksPerSecond;

    private readonly List<RuntimeSample> _samples = [];
    private readonly List<string?> _incarnations = [];

    // The first reading changed since the last write: segments from its one on are re-encoded.
    private int _dirtyFrom;

    public string App { get; } = app;

    public DynoName Dyno { get; } = dyno;

    /// <summary>The document's start in minutes since 0001-01-01 UTC: an hour's first minute (or, for a document
    /// written in the per-minute layout, its minute).</summary>
    public long StartMinute { get; } = startMinute;

    public long Touched { get; set; }

    public int Count => _samples.Count;

    public RuntimeSample this[int index] => _samples[index];

    public string? IncarnationAt(int index) => _incarnations[index];

    /// <summary>Adds a half reading, merging it with its other half within 1 s, as the live store does.</summary>
    public void Add(in RuntimeSample sample, string? incarnation)
    {
        // Readings mostly arrive in order: append without scanning the hour.
        var index = _samples.Count > 0 && _samples[^1].Time.UtcTicks >= sample.Time.UtcTicks - s_sameReadingTicks
            ? 0
            : _samples.Count;
        while (index < _samples.Count && _samples[index].Time.UtcTicks < sample.Time.UtcTicks - s_sameReadingTicks)
        {
            index++;
        }

        _dirtyFrom = Math.Min(_dirtyFrom, index);
        if (index < _samples.Count && _samples[index].Time.UtcTicks <= sample.Time.UtcTicks + s_sameReadingTicks)
        {
            _samples[index] = _samples[index].MergeWith(sample);
            _incarnations[index] ??= incarnation;
            return;
        }

        _samples.Insert(index, sample);
        _incarnations.Insert(index, incarnation);
    }

    /// <summary>The segments holding readings changed since <see cref="MarkWritten"/> (all of them for a new hour).</summary>
    public IEnumerable<int> DirtySegments()
    {
        for (var segment = _dirtyFrom / SegmentSize; segment * SegmentSize < _samples.Count; segment++)
        {
            yield return segment;
        }
    }

    /// <summary>Everything up to now is stored: the next write re-encodes only what changes after this.</summary>
    public void MarkWritten() => _dirtyFrom = _samples.Count;

    /// <summary>Marks every segment changed, so the next write stores the hour in segments afresh (after reading back
    /// an hour stored in another layout).</summary>
    public void MarkAllDirty() => _dirtyFrom = 0;

    /// <summary>The document id suffix of <paramref name="segment"/>: none for the first, so an hour of Heroku's
    /// density keeps the id (and layout) it had before segments.</summary>
    public static string SegmentSuffix(int segment) =>
        segment == 0 ? string.Empty : "+" + segment.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Encodes <paramref name="segment"/>: its readings in the layout of <see cref="Encode()"/>.</summary>
    public byte[] EncodeSegment(int segment)
    {
        var start = segment * SegmentSize;
        return Encode(start, Math.Min(SegmentSize, _samples.Count - start));
    }

    /// <summary>The first minute of the hour holding <paramref name="minute"/>.</summary>
    public static long HourStart(long minute) => minute - (minute % MinutesPerHour);

    /// <summary>Adds every reading of <paramref name="other"/> (a minute document of the same hour, read back from a
    /// file written in the per-minute layout), merging halves as <see cref="Add"/> does.</summary>
    public void AddAll(SampleHour other)
    {
        for (var i = 0; i < other.Count; i++)
        {
            Add(other._samples[i], other._incarnations[i]);
        }
    }

    /// <summary>
    /// Layout (unchanged from the per-minute documents): count, the distinct incarnations, then per sample its tick
    /// offset from the document's start, its incarnation index, a mask of present metrics, a mask of metrics equal
    /// to the previous sample, and the other values.
    /// Quota, swap and cache rarely change, so the repeat mask saves about a quarter of the bytes.
    /// </summary>
    public byte[] Encode() => Encode(0, _samples.Count);

    private byte[] Encode(int first, int count)
    {
        using var writer = new BlockWriter(64 + (count * 88));
        writer.Write7BitEncodedInt(count);
        var distinct = _incarnations.Skip(first).Take(count).Where(i => i is not null).Distinct(StringComparer.Ordinal).ToList();
        writer.Write7BitEncodedInt(distinct.Count);
        foreach (var incarnation in distinct)
        {
            writer.Write(incarnation!);
        }

        var start = StartMinute * TimeSpan.TicksPerMinute;
        for (var i = first; i < first + count; i++)
        {
            var sample = _samples[i];
            writer.Write7BitEncodedInt64(sample.Time.UtcTicks - start);
            writer.Write7BitEncodedInt(_incarnations[i] is { } id ? distinct.IndexOf(id) + 1 : 0);
            ushort present = 0, repeated = 0;
            for (var m = 0; m < MetricCount; m++)
            {
                var value = sample.Get((RuntimeMetric)m);
                if (double.IsNaN(value))
                {
                    continue;
                }

                present |= (ushort)(1 << m);
                if (i > first && _samples[i - 1].Get((RuntimeMetric)m).Equals(value))
                {
                    repeated |= (ushort)(1 << m);
                }
            }

            writer.Write(present);
            writer.Write(repeated);
            for (var m = 0; m < MetricCount; m++)
            {
                var bit = 1 << m;
                if ((present & bit) != 0 && (repeated & bit) == 0)
                {
                    writer.Write(sample.Get((RuntimeMetric)m));
                }
            }
        }

        return writer.ToArray();
    }

    public static SampleHour Decode(string app, DynoName dyno, long startMinute, byte[] data)
    {
        var result = new SampleHour(app, dyno, startMinute);
        using var reader = new BinaryReader(new MemoryStream(data, writable: false));
        var count = reader.Read7BitEncodedInt();
        var distinct = new string[reader.Read7BitEncodedInt()];
        for (var i = 0; i < distinct.Length; i++)
        {
            distinct[i] = reader.ReadString();
        }

        var start = startMinute * TimeSpan.TicksPerMinute;
        Span<double> values = stackalloc double[MetricCount];
        for (var i = 0; i < count; i++)
        {
            var time = new DateTimeOffset(start + reader.Read7BitEncodedInt64(), TimeSpan.Zero);
            var incarnation = reader.Read7BitEncodedInt();
            var present = reader.ReadUInt16();
            var repeated = reader.ReadUInt16();
            for (var m = 0; m < MetricCount; m++)
            {
                var bit = 1 << m;
                values[m] = (present & bit) == 0 ? double.NaN
                    : (repeated & bit) != 0 ? values[m]
                    : reader.ReadDouble();
            }

            result._samples.Add(new RuntimeSample(time, values[0], values[1], values[2], values[3], values[4],
                values[5], values[6], values[7], values[8], values[9]));
            result._incarnations.Add(incarnation == 0 ? null : distinct[incarnation - 1]);
        }

        return result;
    }
}
