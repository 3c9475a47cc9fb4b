using System.Text;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Parsing;

/// <summary>
/// Turns a Heroku drain body (or pasted <c>heroku logs</c> output) into classified lines: octet-counted
/// frames → syslog header → classification by APP-NAME and PROCID (never PRI, whose facilities Heroku has
/// changed over the years) → exactly one sink call per frame, in body order.
/// <para>
/// Runtime-metrics and router lines, the bulk of the traffic, are parsed without allocating once the
/// string pool has seen the dyno names: values stay spans over the body and names come from the pool.
/// Events (errors, lifecycle, releases) are rare and allocate a <see cref="DynoEvent"/> each.
/// </para>
/// <para>One instance per ingestion thread: the pool it owns is not thread-safe.</para>
/// </summary>
public sealed partial class HerokuLogParser
{
    /// <summary>Reason for a <c>heroku logs</c> text line that does not have the <c>TIMESTAMP SOURCE[DYNO]: MESSAGE</c> shape.</summary>
    public const string NotCliLineReason = "not-cli-line";

    private readonly Utf8StringPool _pool;

    public HerokuLogParser(int stringPoolCapacity = Utf8StringPool.DefaultCapacity)
    {
        _pool = new Utf8StringPool(stringPoolCapacity);
    }

    /// <summary>The pool of dyno names and ids; exposed for diagnostics (its size on <c>/api/status</c>).</summary>
    public Utf8StringPool StringPool => _pool;

    /// <summary>Parses an <c>application/logplex-1</c> body. Never throws on body content.</summary>
    public DrainParseResult ParseLogplexBody<TSink>(ReadOnlySpan<byte> body, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        var counts = default(LineCounts);
        var reader = new LogplexFrameReader(body);
        while (reader.TryRead(out var frame))
        {
            if (frame.IsRaw)
            {
                EmitRaw(frame.Text, frame.RawReason!, ref sink, ref counts);
            }
            else if (SyslogHeader.TryParse(frame.Text, out var header, out var failure))
            {
                Classify(header.Timestamp, header.AppName, header.ProcId, header.Message, ref sink, ref counts);
            }
            else
            {
                EmitRaw(frame.Text, failure!, ref sink, ref counts);
            }
        }

        return counts.ToResult(reader.Frames, reader.Resyncs);
    }

    /// <summary>
    /// Parses <c>heroku logs</c> output: one <c>TIMESTAMP SOURCE[DYNO]: MESSAGE</c> per line. Tolerates what
    /// pasted files carry: a shell prompt glued to the first line (<c>$ heroku logs --tail2021-11-27T…</c>),
    /// <c>- </c> list prefixes, CRLF, an empty message with or without the space after the colon. Blank
    /// lines are skipped; other lines that do not fit (continuation lines of a stack trace, Papertrail's
    /// syslog-style export, which has no year) go to <see cref="IHerokuLineSink.OnRawLine"/>.
    /// </summary>
    public DrainParseResult ParseCliText<TSink>(ReadOnlySpan<byte> body, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        var counts = default(LineCounts);
        var lines = 0;
        var rest = body;
        while (!rest.IsEmpty)
        {
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? default : rest[(newline + 1)..];
            line = line.TrimEnd((byte)'\r');
            if (line.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            lines++;
            if (TryParseCliLine(line, out var time, out var source, out var procId, out var message))
            {
                Classify(time, source, procId, message, ref sink, ref counts);
            }
            else
            {
                EmitRaw(line, NotCliLineReason, ref sink, ref counts);
            }
        }

        return counts.ToResult(lines, 0);
    }

    private static bool TryParseCliLine(ReadOnlySpan<byte> line, out DateTimeOffset time, out ReadOnlySpan<byte> source,
        out ReadOnlySpan<byte> procId, out ReadOnlySpan<byte> message)
    {
        time = default;
        source = default;
        procId = default;
        message = default;

        // The timestamp may follow junk (a prompt, "- "); find the first yyyy-MM-ddT.
        var start = FindCliTimestamp(line);
        if (start < 0)
        {
            return false;
        }

        var rest = line[start..];
        var space = rest.IndexOf((byte)' ');
        if (space < 0 || !SyslogTimestamp.TryParse(rest[..space], out time))
        {
            return false;
        }

        rest = rest[(space + 1)..];
        var open = rest.IndexOf((byte)'[');
        var close = rest.IndexOf("]:"u8);
        if (open <= 0 || close <= open + 1 || rest[..open].IndexOf((byte)' ') >= 0 || rest[(open + 1)..close].IndexOf((byte)' ') >= 0)
        {
            return false;
        }

        source = rest[..open];
        procId = rest[(open + 1)..close];
        message = rest[(close + 2)..];
        if (!message.IsEmpty && message[0] == (byte)' ')
        {
            message = message[1..];
        }

        return true;
    }

    private static int FindCliTimestamp(ReadOnlySpan<byte> line)
    {
        // Only the start of a line may carry junk; a timestamp inside a message must not be taken.
        var limit = Math.Min(line.Length - 11, 120);
        for (var i = 0; i <= limit; i++)
        {
            if (IsDigit(line[i]) && IsDigit(line[i + 1]) && IsDigit(line[i + 2]) && IsDigit(line[i + 3])
                && line[i + 4] == (byte)'-' && IsDigit(line[i + 5]) && IsDigit(line[i + 6]) && line[i + 7] == (byte)'-'
                && IsDigit(line[i + 8]) && IsDigit(line[i + 9]) && line[i + 10] == (byte)'T')
            {
                return i;
            }
        }

        return -1;
    }

    private void Classify<TSink>(DateTimeOffset time, ReadOnlySpan<byte> appName, ReadOnlySpan<byte> procId,
        ReadOnlySpan<byte> message, ref TSink sink, ref LineCounts counts)
        where TSink : IHerokuLineSink, allows ref struct
    {
        if (appName.SequenceEqual("heroku"u8))
        {
            if (procId.SequenceEqual("router"u8))
            {
                if (TryRouter(time, message, ref sink) || TryLegacyRouter(time, message, ref sink))
                {
                    counts.Router++;
                    return;
                }
            }
            else if (IsDynoShaped(procId))
            {
                if (TryRuntimeSample(time, procId, message, ref sink))
                {
                    counts.Runtime++;
                    return;
                }

                if (TryDynoManagerEvent(time, appName, procId, message, ref sink))
                {
                    counts.Event++;
                    return;
                }
            }
            else if (procId.SequenceEqual("logplex"u8) && TryLoggingError(time, appName, procId, message, ref sink))
            {
                counts.Event++;
                return;
            }
        }
        else if (appName.SequenceEqual("app"u8))
        {
            if (procId.SequenceEqual("api"u8))
            {
                if (TryApiEvent(time, appName, procId, message, ref sink))
                {
                    counts.Event++;
                    return;
                }
            }
            else if (procId.SequenceEqual("log-shuttle"u8))
            {
                if (TryLoggingError(time, appName, procId, message, ref sink))
                {
                    counts.Event++;
                    return;
                }
            }
            else if (message.StartsWith("Starting process with command"u8) && IsDynoShaped(procId))
            {
                // Old docs show the start line as app[web.1]: Starting process with command: `…`.
                EmitEvent(time, appName, procId, message, DynoEventKind.Starting, "Starting process", ref sink);
                counts.Event++;
                return;
            }
        }

        counts.App++;
        sink.OnAppLine(new AppLine
        {
            Time = time,
            Source = appName,
            ProcId = procId,
            Dyno = IsDynoShaped(procId) ? new DynoName(_pool.Get(procId)) : null,
            Message = message,
            IsLogfmt = LogfmtReader.LooksLikeLogfmt(message),
        });
    }

    private static void EmitRaw<TSink>(ReadOnlySpan<byte> text, string reason, ref TSink sink, ref LineCounts counts)
        where TSink : IHerokuLineSink, allows ref struct
    {
        counts.Raw++;
        sink.OnRawLine(new RawLine { Text = text, Reason = reason });
    }

    private DynoEvent NewEvent(DateTimeOffset time, ReadOnlySpan<byte> appName, ReadOnlySpan<byte> procId,
        ReadOnlySpan<byte> message, DynoEventKind kind, string description, ErrorCodeInfo? code = null) => new()
    {
        Time = time,
        Dyno = IsDynoShaped(procId) ? new DynoName(_pool.Get(procId)) : null,
        Kind = kind,
        Code = code,
        Description = description,
        Source = _pool.Get(appName),
        ProcId = _pool.Get(procId),
        Message = Encoding.UTF8.GetString(message),
    };

    private void EmitEvent<TSink>(DateTimeOffset time, ReadOnlySpan<byte> appName, ReadOnlySpan<byte> procId,
        ReadOnlySpan<byte> message, DynoEventKind kind, string description, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct =>
        sink.OnDynoEvent(NewEvent(time, appName, procId, message, kind, description));

    /// <summary>Same rules as <see cref="DynoName.IsDynoShaped"/>, applied to UTF-8 without decoding.</summary>
    internal static bool IsDynoShaped(ReadOnlySpan<byte> name)
    {
        // Widening each byte to a char is exact for ASCII; bytes of multibyte characters become chars
        // >= 128, which the ASCII-only rules reject just as they reject the decoded characters.
        if (name.IsEmpty || name.Length > 64)
        {
            return false;
        }

        Span<char> chars = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            chars[i] = (char)name[i];
        }

        return DynoName.IsDynoShaped(chars);
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private struct LineCounts
    {
        public int Runtime;
        public int Router;
        public int Event;
        public int App;
        public int Raw;

        public readonly DrainParseResult ToResult(int frames, int resyncs) =>
            new(frames, Runtime, Router, Event, App, Raw, resyncs);
    }
}
