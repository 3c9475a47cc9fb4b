using System.Globalization;
using DynoDashboard.Benchmarks;

namespace DynoDashboard.LoadGen;

/// <summary>
/// A pre-generated Logplex body whose syslog timestamps are rewritten in place before each POST, so the live
/// store sees time move on (rollups roll, ring buffers fill) as it would with a real drain, while the load
/// generator itself stays cheap: only the 32 timestamp bytes of each frame are touched, never re-framed.
/// </summary>
public sealed class StampedBody
{
    private const int TimestampLength = 32; // 2025-08-08T06:58:53.550240+00:00

    private readonly byte[] _template;
    private readonly int[] _timestampOffsets;
    private readonly long[] _relativeTicks;

    public StampedBody(int targetBytes, int seed, int dynos)
    {
        _template = DrainBodyGenerator.Generate(targetBytes, seed, dynos);
        var offsets = new List<int>();
        var ticks = new List<long>();
        DateTimeOffset? first = null;
        var position = 0;
        while (position < _template.Length)
        {
            // "<count> <PRI>1 TIMESTAMP …": the generator frames every message exactly, so the walk is simple.
            var space = Array.IndexOf(_template, (byte)' ', position);
            var count = int.Parse(_template.AsSpan(position, space - position), CultureInfo.InvariantCulture);
            var message = space + 1;
            var timestamp = Array.IndexOf(_template, (byte)' ', message) + 1;
            var text = System.Text.Encoding.ASCII.GetString(_template, timestamp, TimestampLength);
            var time = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
            first ??= time;
            offsets.Add(timestamp);
            ticks.Add((time - first.Value).Ticks);
            position = message + count;
        }

        _timestampOffsets = [.. offsets];
        _relativeTicks = [.. ticks];
    }

    public int Length => _template.Length;

    public int Frames => _timestampOffsets.Length;

    /// <summary>Runtime-metrics lines in the body (load and memory lines), to check that none is lost under overload.</summary>
    public int RuntimeFrames => Occurrences("sample#load_avg_1m="u8) + Occurrences("sample#memory_total="u8);

    /// <summary>Router lines in the body, plain and error: every one must be counted in a rollup.</summary>
    public int RouterFrames => Occurrences("heroku router - "u8);

    private int Occurrences(ReadOnlySpan<byte> needle)
    {
        var count = 0;
        var rest = _template.AsSpan();
        for (var at = rest.IndexOf(needle); at >= 0; at = rest.IndexOf(needle))
        {
            count++;
            rest = rest[(at + needle.Length)..];
        }

        return count;
    }

    /// <summary>Span of simulated time one body covers.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(_relativeTicks[^1]);

    /// <summary>A private copy for one POST loop (the loops stamp concurrently).</summary>
    public byte[] NewBuffer() => (byte[])_template.Clone();

    /// <summary>Writes timestamps starting at <paramref name="start"/> (UTC) into a buffer from <see cref="NewBuffer"/>.</summary>
    public void Stamp(byte[] buffer, DateTime start)
    {
        for (var i = 0; i < _timestampOffsets.Length; i++)
        {
            var span = buffer.AsSpan(_timestampOffsets[i], TimestampLength);
            var time = start.AddTicks(_relativeTicks[i]);
            // "O" gives 7 fraction digits and Z; Heroku sends 6 and +00:00, so format the parts.
            if (!time.TryFormat(span, out var written, "yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture) ||
                written != TimestampLength)
            {
                throw new InvalidOperationException("Timestamp did not fit its 32 bytes.");
            }
        }
    }
}
