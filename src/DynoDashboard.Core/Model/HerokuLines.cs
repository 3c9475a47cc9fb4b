using System.Text;

namespace DynoDashboard.Core.Model;

/// <summary>What a Heroku log line is, decided by APP-NAME and PROCID (never by PRI).</summary>
public enum LineKind
{
    /// <summary>log-runtime-metrics: <c>heroku[web.1]: source=web.1 dyno=… sample#…</c>.</summary>
    Runtime,

    /// <summary>One request through the Heroku router: <c>heroku[router]: at=info method=GET …</c>.</summary>
    Router,

    /// <summary>An error (R and L codes) or a lifecycle fact from the dyno manager, logplex or <c>app[api]</c>.</summary>
    Event,

    /// <summary>Anything else: the app's own output, add-on metrics.</summary>
    App,

    /// <summary>A frame that could not be read as a syslog message; its text is kept as is.</summary>
    Raw,
}

/// <summary>The <c>at=</c> level of a router line.</summary>
public enum RouterLevel
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One runtime-metrics line as the parser sees it. A view over the drain buffer: valid only during the
/// sink call. <see cref="Sample"/> carries the metrics of this line only (the load or the memory half).
/// </summary>
public readonly ref struct RuntimeSampleLine
{
    public required DynoName Dyno { get; init; }

    /// <summary>The <c>dyno=</c> incarnation id, pooled by the parser (no allocation per line); null on legacy lines.</summary>
    public required string? Incarnation { get; init; }

    public required RuntimeSample Sample { get; init; }

    /// <summary>The syslog MSG part, for the recent-lines buffer.</summary>
    public required ReadOnlySpan<byte> Message { get; init; }
}

/// <summary>
/// One router line. A view over the drain buffer, valid only during the sink call; the text fields are
/// UTF-8 spans so that parsing allocates nothing. An empty value in the log (<c>dyno=</c>, <c>status=</c>)
/// is missing (null or an empty span), never zero.
/// </summary>
public readonly ref struct RouterRequest
{
    public required DateTimeOffset Time { get; init; }

    public required RouterLevel Level { get; init; }

    /// <summary>The H code of an error or warning line, from the catalogue; null on plain requests.</summary>
    public ErrorCodeInfo? Code { get; init; }

    public DynoName? Dyno { get; init; }

    public int? ConnectMs { get; init; }

    public int? ServiceMs { get; init; }

    public int? Status { get; init; }

    public long? Bytes { get; init; }

    public ReadOnlySpan<byte> Method { get; init; }

    public ReadOnlySpan<byte> Path { get; init; }

    public ReadOnlySpan<byte> Host { get; init; }

    public ReadOnlySpan<byte> RequestId { get; init; }

    public ReadOnlySpan<byte> Fwd { get; init; }

    public ReadOnlySpan<byte> Protocol { get; init; }

    public ReadOnlySpan<byte> Desc { get; init; }

    public ReadOnlySpan<byte> Cause { get; init; }

    /// <summary><c>sock=client</c> or <c>sock=backend</c> on H18/H27; empty otherwise.</summary>
    public ReadOnlySpan<byte> Sock { get; init; }

    /// <summary>The whole syslog MSG part.</summary>
    public required ReadOnlySpan<byte> Message { get; init; }

    /// <summary>Status class 1–5 (2 for 2xx), or 0 when the status is missing.</summary>
    public int StatusClass => Status is >= 100 and <= 599 ? Status.Value / 100 : 0;

    public static string Text(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? string.Empty : Encoding.UTF8.GetString(utf8);
}

/// <summary>
/// A line that is neither runtime metrics, a router request nor an event: app output, add-on metrics,
/// unknown platform lines. A view over the drain buffer, valid only during the sink call.
/// </summary>
public readonly ref struct AppLine
{
    public required DateTimeOffset Time { get; init; }

    /// <summary>The syslog APP-NAME: <c>app</c> or <c>heroku</c>.</summary>
    public required ReadOnlySpan<byte> Source { get; init; }

    /// <summary>The syslog PROCID: <c>web.1</c>, <c>api</c>, <c>heroku-postgres</c>, …</summary>
    public required ReadOnlySpan<byte> ProcId { get; init; }

    /// <summary>The dyno when PROCID is dyno-shaped (<c>web.1</c>), else null (add-ons, <c>api</c>).</summary>
    public DynoName? Dyno { get; init; }

    public required ReadOnlySpan<byte> Message { get; init; }

    /// <summary>True when the message looks like logfmt (<c>key=value …</c>); read its fields with <c>LogfmtReader</c>.</summary>
    public bool IsLogfmt { get; init; }
}

/// <summary>Frame text that could not be read as a syslog message (a wrong octet count, garbage). Kept, not thrown away.</summary>
public readonly ref struct RawLine
{
    public required ReadOnlySpan<byte> Text { get; init; }

    /// <summary>Why it is raw, for counters and the log: <c>bad-octet-count</c>, <c>not-syslog</c>, …</summary>
    public required string Reason { get; init; }
}
