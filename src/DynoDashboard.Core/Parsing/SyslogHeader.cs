namespace DynoDashboard.Core.Parsing;

/// <summary>
/// The RFC 5424 header of one logplex frame: <c>&lt;PRI&gt;1 TIMESTAMP HOST APP-NAME PROCID MSGID [SD] MSG</c>.
/// HTTPS drains leave STRUCTURED-DATA out entirely (<c>… web.1 - MSG</c>, HOST is <c>host</c>); syslog
/// drains send <c>- -</c> (HOST is <c>d.&lt;token&gt;</c>). SD is therefore only looked for when HOST is not
/// <c>host</c>, so an app message that itself starts with <c>- </c> is not eaten. All parts are views over the frame.
/// </summary>
public readonly ref struct SyslogHeader
{
    public SyslogHeader(int priority, DateTimeOffset timestamp, ReadOnlySpan<byte> host, ReadOnlySpan<byte> appName,
        ReadOnlySpan<byte> procId, ReadOnlySpan<byte> message)
    {
        Priority = priority;
        Timestamp = timestamp;
        Host = host;
        AppName = appName;
        ProcId = procId;
        Message = message;
    }

    /// <summary>PRI, kept for display only: Heroku's facilities changed over the years, so it never classifies a line.</summary>
    public int Priority { get; }

    public DateTimeOffset Timestamp { get; }

    public ReadOnlySpan<byte> Host { get; }

    /// <summary><c>app</c> or <c>heroku</c>.</summary>
    public ReadOnlySpan<byte> AppName { get; }

    /// <summary><c>web.1</c>, <c>router</c>, <c>api</c>, <c>logplex</c>, <c>heroku-postgres</c>, …</summary>
    public ReadOnlySpan<byte> ProcId { get; }

    /// <summary>MSG with one trailing LF (and a CR before it) removed; may be empty.</summary>
    public ReadOnlySpan<byte> Message { get; }

    /// <summary>Why a frame is not a syslog message, for <see cref="Model.RawLine.Reason"/>.</summary>
    public const string NotSyslogReason = "not-syslog";

    /// <summary>The header parsed but its timestamp did not.</summary>
    public const string BadTimestampReason = "bad-timestamp";

    /// <summary>Parses a frame. On failure <paramref name="failureReason"/> says why; nothing throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out SyslogHeader header, out string? failureReason)
    {
        header = default;
        failureReason = NotSyslogReason;

        // <PRI>1 with PRI 0–191 written in 1–3 digits.
        if (frame.Length < 4 || frame[0] != (byte)'<')
        {
            return false;
        }

        var i = 1;
        var priority = 0;
        while (i < frame.Length && i <= 4 && char.IsAsciiDigit((char)frame[i]))
        {
            priority = (priority * 10) + (frame[i] - '0');
            i++;
        }

        if (i == 1 || i > 4 || frame.Length < i + 3 || frame[i] != (byte)'>' || frame[i + 1] != (byte)'1' || frame[i + 2] != (byte)' ')
        {
            return false;
        }

        var rest = frame[(i + 3)..];
        var timestampText = TakeField(ref rest, out var ok);
        var host = ok ? TakeField(ref rest, out ok) : default;
        var appName = ok ? TakeField(ref rest, out ok) : default;
        var procId = ok ? TakeField(ref rest, out ok) : default;
        if (!ok)
        {
            return false;
        }

        // MSGID: normally "-". The message may follow, or the frame may end right here (empty message).
        var space = rest.IndexOf((byte)' ');
        ReadOnlySpan<byte> message;
        if (space < 0)
        {
            var msgId = StripLineEnd(rest);
            if (msgId.IsEmpty || msgId.IndexOfAny((byte)'\n', (byte)'\r') >= 0)
            {
                return false;
            }

            message = default;
        }
        else
        {
            if (space == 0)
            {
                return false;
            }

            message = rest[(space + 1)..];
            if (!host.SequenceEqual("host"u8))
            {
                message = SkipStructuredData(message);
            }
        }

        if (!SyslogTimestamp.TryParse(timestampText, out var timestamp))
        {
            failureReason = BadTimestampReason;
            return false;
        }

        header = new SyslogHeader(priority, timestamp, host, appName, procId, StripLineEnd(message));
        failureReason = null;
        return true;
    }

    /// <summary>Removes one trailing LF and a CR before it.</summary>
    public static ReadOnlySpan<byte> StripLineEnd(ReadOnlySpan<byte> text)
    {
        if (!text.IsEmpty && text[^1] == (byte)'\n')
        {
            text = text[..^1];
        }

        if (!text.IsEmpty && text[^1] == (byte)'\r')
        {
            text = text[..^1];
        }

        return text;
    }

    private static ReadOnlySpan<byte> TakeField(scoped ref ReadOnlySpan<byte> rest, out bool ok)
    {
        var space = rest.IndexOf((byte)' ');
        if (space <= 0)
        {
            ok = false;
            return default;
        }

        var field = rest[..space];
        rest = rest[(space + 1)..];

        // A header field never holds a line break; if it does the frame is not a syslog message.
        ok = field.IndexOfAny((byte)'\n', (byte)'\r') < 0;
        return field;
    }

    // Syslog drains: SD is "-" (NILVALUE) or one or more [id k="v"] elements, then a space before MSG.
    private static ReadOnlySpan<byte> SkipStructuredData(ReadOnlySpan<byte> message)
    {
        if (message.Length >= 1 && message[0] == (byte)'-' && (message.Length == 1 || message[1] is (byte)' ' or (byte)'\n' or (byte)'\r'))
        {
            return message.Length == 1 || message[1] != (byte)' ' ? message[1..] : message[2..];
        }

        var i = 0;
        while (i < message.Length && message[i] == (byte)'[')
        {
            i++;
            while (i < message.Length && message[i] != (byte)']')
            {
                i += message[i] == (byte)'\\' ? 2 : 1;
            }

            i++;
        }

        if (i == 0)
        {
            return message;
        }

        i = Math.Min(i, message.Length);
        return i < message.Length && message[i] == (byte)' ' ? message[(i + 1)..] : message[i..];
    }
}
