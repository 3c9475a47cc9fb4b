namespace DynoDashboard.Core.Parsing;

/// <summary>One frame of an <c>application/logplex-1</c> body.</summary>
public readonly ref struct LogplexFrame
{
    public LogplexFrame(ReadOnlySpan<byte> text, string? rawReason)
    {
        Text = text;
        RawReason = rawReason;
    }

    /// <summary>
    /// For a well-counted frame: the syslog message, without the octet count. For a frame found by
    /// resynchronising: all the text from the bad count up to the next frame boundary, count included.
    /// </summary>
    public ReadOnlySpan<byte> Text { get; }

    /// <summary>Null for a well-counted frame; <see cref="LogplexFrameReader.BadOctetCountReason"/> after a resync.</summary>
    public string? RawReason { get; }

    public bool IsRaw => RawReason is not null;
}

/// <summary>
/// Walks a logplex body by RFC 6587 octet counting: <c>&lt;count&gt;&lt;SP&gt;&lt;count bytes&gt;</c>, frames
/// back to back. The count must be honoured because logplex's own L10 frame has no trailing LF and runs
/// straight into the next frame (<c>…+00:00.203 &lt;45&gt;1 …</c>): splitting on newlines would glue them.
/// <para>
/// A count is trusted when it lands on a frame boundary: the end of the body or the next
/// <c>digits SP &lt;digits&gt;1 SP</c>, after any LF, CR or spaces, or when it ends on a message's LF (the
/// damage is then in the next frame). A count one off either way (a sender that counted or forgot the LF)
/// still reads cleanly. Anything else (non-numeric, negative, huge, or
/// not landing on a boundary) is resynchronised: the reader scans for the next boundary and returns the
/// text in between as a raw frame, so the good frames around a bad one survive. Never throws.
/// </para>
/// </summary>
public ref struct LogplexFrameReader
{
    /// <summary>The reason given to frames found by resynchronising.</summary>
    public const string BadOctetCountReason = "bad-octet-count";

    // Nine digits is already ~1 GB, far past any drain body (~100 KB); more digits is treated as garbage
    // rather than parsed, which also keeps the arithmetic far from overflow.
    private const int MaxCountDigits = 9;

    private readonly ReadOnlySpan<byte> _body;
    private int _position;

    public LogplexFrameReader(ReadOnlySpan<byte> body)
    {
        _body = body;
        _position = 0;
        Frames = 0;
        Resyncs = 0;
    }

    /// <summary>Frames returned so far, raw ones included.</summary>
    public int Frames { get; private set; }

    /// <summary>How many times a bad count forced a scan for the next frame.</summary>
    public int Resyncs { get; private set; }

    public bool TryRead(out LogplexFrame frame)
    {
        var body = _body;
        var start = SkipSeparators(body, _position);
        if (start >= body.Length)
        {
            _position = body.Length;
            frame = default;
            return false;
        }

        Frames++;
        if (TryReadCount(body, start, out var count, out var messageStart))
        {
            var end = (long)messageStart + count;

            // The tolerant readings below are only tried on text that starts like a syslog message, so an
            // off-by-one guess cannot swallow junk into a frame.
            var looksLikeSyslog = LooksLikeSyslogStart(body, messageStart);

            // A count one too big swallows the first digit of the next frame's count. Real frames end in LF
            // (10 000-byte chunks are single lines, so no LF inside), so "LF + digit" at the end means exactly that.
            if (looksLikeSyslog && end <= body.Length && end - messageStart >= 2 && body[(int)end - 2] == (byte)'\n'
                && char.IsAsciiDigit((char)body[(int)end - 1]) && IsBoundary(body, (int)end - 1))
            {
                return Accept(messageStart, (int)end - 1, out frame);
            }

            // Exact first: real Heroku counts are exact, and a chunk may legitimately end in a digit. Text that
            // does not look like syslog gets no such benefit of the doubt: its count must not land inside the
            // next frame's count ("6 junk" landing on the "0" of "80 <190>1").
            if (end <= body.Length && IsBoundary(body, (int)end)
                && (looksLikeSyslog || end == messageStart || !IsCountByte(body[(int)end - 1])))
            {
                return Accept(messageStart, (int)end, out frame);
            }

            // No boundary after it, but the count ends on the LF that ends every real message: the frame is
            // good and it is the next one that is damaged. Keep this one; the next read resynchronises.
            if (looksLikeSyslog && end > messageStart && end <= body.Length && body[(int)end - 1] == (byte)'\n')
            {
                return Accept(messageStart, (int)end, out frame);
            }

            if (looksLikeSyslog && end - 1 >= messageStart && end - 1 <= body.Length && IsBoundary(body, (int)end - 1))
            {
                return Accept(messageStart, (int)end - 1, out frame);
            }

            // One too small on a frame without LF (L10). The byte taken must not be a digit or sign, or this
            // would steal the first character of the next frame's count.
            if (looksLikeSyslog && end + 1 <= body.Length && !IsCountByte(body[(int)end]) && IsBoundary(body, (int)end + 1))
            {
                return Accept(messageStart, (int)end + 1, out frame);
            }
        }

        Resyncs++;
        var next = FindFrameStart(body, start + 1);
        var rawEnd = next;
        while (rawEnd > start && IsSeparator(body[rawEnd - 1]))
        {
            rawEnd--;
        }

        frame = new LogplexFrame(body[start..rawEnd], BadOctetCountReason);
        _position = next;
        return true;
    }

    private bool Accept(int messageStart, int end, out LogplexFrame frame)
    {
        frame = new LogplexFrame(_body[messageStart..end], null);
        _position = end;
        return true;
    }

    private static bool TryReadCount(ReadOnlySpan<byte> body, int start, out int count, out int messageStart)
    {
        count = 0;
        var i = start;
        while (i < body.Length && char.IsAsciiDigit((char)body[i]))
        {
            if (i - start >= MaxCountDigits)
            {
                messageStart = 0;
                return false;
            }

            count = (count * 10) + (body[i] - '0');
            i++;
        }

        messageStart = i + 1;
        return i > start && i < body.Length && body[i] == (byte)' ';
    }

    /// <summary>True at the end of the body or at the start of a frame, after any separators.</summary>
    private static bool IsBoundary(ReadOnlySpan<byte> body, int position)
    {
        position = SkipSeparators(body, position);
        return position >= body.Length || IsFrameStart(body, position);
    }

    /// <summary><c>\d{1,9} &lt;\d{1,3}&gt;1 </c> at <paramref name="position"/>.</summary>
    private static bool IsFrameStart(ReadOnlySpan<byte> body, int position)
    {
        var i = position;
        while (i < body.Length && i - position <= MaxCountDigits && char.IsAsciiDigit((char)body[i]))
        {
            i++;
        }

        if (i == position || i - position > MaxCountDigits || body.Length - i < 6 || body[i] != (byte)' ' || body[i + 1] != (byte)'<')
        {
            return false;
        }

        i += 2;
        var priStart = i;
        while (i < body.Length && i - priStart < 4 && char.IsAsciiDigit((char)body[i]))
        {
            i++;
        }

        var priDigits = i - priStart;
        return priDigits is >= 1 and <= 3 && body.Length - i >= 3
            && body[i] == (byte)'>' && body[i + 1] == (byte)'1' && body[i + 2] == (byte)' ';
    }

    /// <summary>The next frame start at or after <paramref name="from"/> whose count is not the tail of a longer number; else the body length.</summary>
    private static int FindFrameStart(ReadOnlySpan<byte> body, int from)
    {
        // Every frame start contains " <"; searching for it vectorised is faster than testing each digit.
        var i = from;
        while (i < body.Length)
        {
            var marker = body[i..].IndexOf(" <"u8);
            if (marker < 0)
            {
                break;
            }

            var digitsEnd = i + marker;
            var digitsStart = digitsEnd;
            while (digitsStart > from && char.IsAsciiDigit((char)body[digitsStart - 1]))
            {
                digitsStart--;
            }

            // The count must begin after a byte that cannot be part of a count, so "1234 <" is never read as
            // "234 <", nor "-5 <" as "5 <".
            var atNumberStart = digitsStart == 0 || !IsCountByte(body[digitsStart - 1]);
            if (digitsStart < digitsEnd && atNumberStart && IsFrameStart(body, digitsStart))
            {
                return digitsStart;
            }

            i = digitsEnd + 2;
        }

        return body.Length;
    }

    private static int SkipSeparators(ReadOnlySpan<byte> body, int position)
    {
        while (position < body.Length && IsSeparator(body[position]))
        {
            position++;
        }

        return position;
    }

    private static bool LooksLikeSyslogStart(ReadOnlySpan<byte> body, int position) =>
        body.Length - position >= 2 && body[position] == (byte)'<' && char.IsAsciiDigit((char)body[position + 1]);

    private static bool IsCountByte(byte b) => char.IsAsciiDigit((char)b) || b == (byte)'-' || b == (byte)'+';

    private static bool IsSeparator(byte b) => b is (byte)'\n' or (byte)'\r' or (byte)' ' or (byte)'\t';
}
