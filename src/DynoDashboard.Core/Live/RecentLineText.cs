using System.Text;

namespace DynoDashboard.Core.Live;

/// <summary>
/// The UTF-8 text of an app's recent lines, back to back in one circular byte buffer, decoded only when a reader
/// asks. Shaped this way because decoding every line into a string on the ingestion thread was the apply path's
/// only per-line allocation (~450 B a router line), and those strings lived just long enough in the recent-lines
/// ring to be promoted and churn gen 2. Bytes also take half the room of UTF-16.
/// <para>
/// The budget is bytes, not lines: once it is used up the oldest text is overwritten, and a line whose text is
/// gone is no longer returned (<see cref="IsIntact"/>). The array starts small and doubles up to the budget,
/// like <see cref="RingBuffer{T}"/>. Not thread-safe: guarded by the app's lock.
/// </para>
/// </summary>
internal sealed class RecentLineText
{
    /// <summary>Room per recent line: real router lines are 250–350 B, runtime lines 150–250 B.</summary>
    public const int BytesPerLine = 384;

    private const int InitialArraySize = 16 * 1024;

    private readonly int _capacity;
    private byte[] _bytes;
    private long _written;

    public RecentLineText(int lines)
    {
        _capacity = (int)Math.Min((long)lines * BytesPerLine, Array.MaxLength);
        _bytes = new byte[Math.Min(_capacity, InitialArraySize)];
    }

    /// <summary>Copies <paramref name="utf8"/> in (cut to the budget if longer) and says where it went.</summary>
    public TextRef Append(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > _capacity)
        {
            utf8 = utf8[.._capacity];
        }

        if (_written + utf8.Length > _bytes.Length && _bytes.Length < _capacity)
        {
            Grow(_written + utf8.Length);
        }

        var start = _written;
        Write(_bytes, start, utf8);
        _written += utf8.Length;
        return new TextRef(start, utf8.Length);
    }

    /// <summary>False once newer text has overwritten this line's.</summary>
    public bool IsIntact(TextRef text) => text.Start >= _written - _bytes.Length;

    /// <summary>The line's text, or empty when it was overwritten.</summary>
    public string Decode(TextRef text)
    {
        if (text.Length == 0 || !IsIntact(text))
        {
            return string.Empty;
        }

        var offset = (int)(text.Start % _bytes.Length);
        if (offset + text.Length <= _bytes.Length)
        {
            return Encoding.UTF8.GetString(_bytes, offset, text.Length);
        }

        // The text wraps around the end of the array: join the two parts first.
        var joined = new byte[text.Length];
        Read(_bytes, text.Start, joined);
        return Encoding.UTF8.GetString(joined);
    }

    private void Grow(long needed)
    {
        var size = _bytes.Length;
        while (size < needed && size < _capacity)
        {
            size = (int)Math.Min((long)size * 2, _capacity);
        }

        // Keep every byte still readable at the same absolute position in the bigger array.
        var old = _bytes;
        var kept = (int)Math.Min(_written, old.Length);
        var live = new byte[kept];
        Read(old, _written - kept, live);
        _bytes = new byte[size];
        Write(_bytes, _written - kept, live);
    }

    private static void Write(byte[] ring, long position, ReadOnlySpan<byte> source)
    {
        var offset = (int)(position % ring.Length);
        var first = Math.Min(source.Length, ring.Length - offset);
        source[..first].CopyTo(ring.AsSpan(offset));
        source[first..].CopyTo(ring);
    }

    private static void Read(byte[] ring, long position, Span<byte> destination)
    {
        var offset = (int)(position % ring.Length);
        var first = Math.Min(destination.Length, ring.Length - offset);
        ring.AsSpan(offset, first).CopyTo(destination);
        ring.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
    }
}

/// <summary>Where a line's text sits in <see cref="RecentLineText"/>: absolute byte position and length.</summary>
internal readonly record struct TextRef(long Start, int Length);
