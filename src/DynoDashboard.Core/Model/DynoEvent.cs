using System.Text;
using System.Text.Unicode;

namespace DynoDashboard.Core.Model;

/// <summary>What happened to a dyno or an app.</summary>
public enum DynoEventKind
{
    /// <summary>An H code from the router (H12, H13, H19…).</summary>
    RouterError,

    /// <summary>An R code from the dyno manager (R10, R14, R15…).</summary>
    RuntimeError,

    /// <summary>An L code from logplex or log-shuttle (L10…).</summary>
    LogplexError,

    /// <summary><c>Process running mem=870M(170.1%)</c>, the companion of R14/R15.</summary>
    MemoryUsage,

    /// <summary><c>State changed from X to Y</c>.</summary>
    StateChanged,

    /// <summary><c>Starting process with command …</c>.</summary>
    Starting,

    /// <summary><c>Restarting</c>.</summary>
    Restarting,

    /// <summary><c>Cycling</c>: the daily restart.</summary>
    Cycling,

    /// <summary><c>Stopping all processes with SIGTERM</c>.</summary>
    Stopping,

    /// <summary><c>Stopping process with SIGKILL</c>, <c>Stopping remaining processes with SIGKILL</c>.</summary>
    Killed,

    /// <summary><c>Process exited with status N</c>.</summary>
    Exited,

    /// <summary><c>Client connection closed. Sending SIGHUP to all processes</c> (one-off dynos).</summary>
    Hangup,

    /// <summary><c>app[api]: Release vN created by …</c>.</summary>
    Release,

    /// <summary><c>app[api]: Deploy &lt;sha&gt; by …</c>.</summary>
    Deploy,

    /// <summary><c>app[api]: Build started/succeeded/failed</c>.</summary>
    Build,

    /// <summary><c>app[api]: Scaled to web@4:Standard-1X by …</c>.</summary>
    Scale,

    /// <summary><c>app[api]: Set X config vars by …</c>.</summary>
    ConfigChange,
}

/// <summary>
/// An error or lifecycle fact, tied to the dyno behind it where there is one. Events are rare next to
/// router and runtime lines, so this is an ordinary record that the stores keep as is.
/// </summary>
public sealed record DynoEvent
{
    public required DateTimeOffset Time { get; init; }

    /// <summary>The dyno the event is about; null for app-wide events (releases, L10, router errors with no dyno).</summary>
    public DynoName? Dyno { get; init; }

    public required DynoEventKind Kind { get; init; }

    /// <summary>The H, R or L code with its meaning; null for lifecycle events.</summary>
    public ErrorCodeInfo? Code { get; init; }

    /// <summary>A short human description: the catalogue meaning for errors, a summary for lifecycle events.</summary>
    public required string Description { get; init; }

    /// <summary>The syslog APP-NAME: <c>heroku</c> or <c>app</c>.</summary>
    public string Source { get; init; } = "heroku";

    /// <summary>The syslog PROCID: <c>web.1</c>, <c>router</c>, <c>api</c>, <c>logplex</c>.</summary>
    public string ProcId { get; init; } = string.Empty;

    // A router error made from its line keeps the message as the line's UTF-8 bytes and decodes them when the text is
    // first asked for: history stores the bytes as they are, and most errors of an H12 storm are never read as text.
    // A string of an ASCII line is twice the bytes; it was about a sixth of what the server allocated in such a storm.
    private string? _message;
    private byte[]? _utf8Message;

    /// <summary>The raw syslog MSG text.</summary>
    public required string Message
    {
        get => _message ??= Encoding.UTF8.GetString(_utf8Message!);
        init
        {
            // Also on a copy (`with { Message = … }`), whose bytes are the old message's.
            _message = value;
            _utf8Message = null;
        }
    }

    /// <summary>The message as valid UTF-8 when the event was made from its line's bytes; null when made from a string.</summary>
    internal byte[]? Utf8Message => _utf8Message;

    /// <summary>The incarnation id (<c>dyno=heroku.…</c>) when the line carries one.</summary>
    public string? Incarnation { get; init; }

    /// <summary><c>State changed from X to Y</c>: X.</summary>
    public string? FromState { get; init; }

    /// <summary><c>State changed from X to Y</c>: Y.</summary>
    public string? ToState { get; init; }

    /// <summary><c>Process exited with status N</c>: N.</summary>
    public int? ExitStatus { get; init; }

    /// <summary><c>Process running mem=870M(170.1%)</c>: 870.</summary>
    public double? MemoryMb { get; init; }

    /// <summary><c>Process running mem=870M(170.1%)</c>: 170.1.</summary>
    public double? MemoryPercent { get; init; }

    /// <summary>Router errors: the HTTP status, service time and path, when the line has them.</summary>
    public int? Status { get; init; }

    public int? ServiceMs { get; init; }

    public string? Path { get; init; }

    /// <summary>The event for a router line that carries an H code, its message kept as the line's UTF-8 bytes.</summary>
    public static DynoEvent FromRouterError(in RouterRequest request)
    {
        // Invalid UTF-8 would not come back byte for byte from its decoded text: such a line gets its string at once.
        if (request.Message.IsEmpty || !Utf8.IsValid(request.Message))
        {
            return FromRouterError(request, RouterRequest.Text(request.Message));
        }

        var routerError = FromRouterError(request, string.Empty);
        routerError._message = null;
        routerError._utf8Message = request.Message.ToArray();
        return routerError;
    }

    /// <summary>The event for a router line that carries an H code.</summary>
    public static DynoEvent FromRouterError(in RouterRequest request, string message) => new()
    {
        Time = request.Time,
        Dyno = request.Dyno,
        Kind = DynoEventKind.RouterError,
        Code = request.Code,
        Description = request.Code?.Title ?? "Router error",
        Message = message,
        ProcId = "router",
        Status = request.Status,
        ServiceMs = request.ServiceMs,
        Path = RouterRequest.Text(request.Path),
    };

    // Written out because the message has two backing fields: an event holding its message as UTF-8 equals one holding
    // it as a string. Every property takes part, as in the record's own equality (DynoEventTests checks none is missed).
    public bool Equals(DynoEvent? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         Time.Equals(other.Time) &&
         EqualityComparer<DynoName?>.Default.Equals(Dyno, other.Dyno) &&
         Kind == other.Kind &&
         EqualityComparer<ErrorCodeInfo?>.Default.Equals(Code, other.Code) &&
         string.Equals(Description, other.Description, StringComparison.Ordinal) &&
         string.Equals(Source, other.Source, StringComparison.Ordinal) &&
         string.Equals(ProcId, other.ProcId, StringComparison.Ordinal) &&
         MessageEquals(other) &&
         string.Equals(Incarnation, other.Incarnation, StringComparison.Ordinal) &&
         string.Equals(FromState, other.FromState, StringComparison.Ordinal) &&
         string.Equals(ToState, other.ToState, StringComparison.Ordinal) &&
         ExitStatus == other.ExitStatus &&
         EqualityComparer<double?>.Default.Equals(MemoryMb, other.MemoryMb) &&
         EqualityComparer<double?>.Default.Equals(MemoryPercent, other.MemoryPercent) &&
         Status == other.Status &&
         ServiceMs == other.ServiceMs &&
         string.Equals(Path, other.Path, StringComparison.Ordinal));

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Time);
        hash.Add(Dyno);
        hash.Add(Kind);
        hash.Add(Code);
        hash.Add(Description, StringComparer.Ordinal);
        hash.Add(ProcId, StringComparer.Ordinal);
        hash.Add(Status);
        hash.Add(Path, StringComparer.Ordinal);
        return hash.ToHashCode(); // a subset of the fields: enough to spread events, and never the message's form
    }

    /// <summary>Compares the bytes when both hold UTF-8, so comparing two stored router errors decodes neither.</summary>
    private bool MessageEquals(DynoEvent other) =>
        _utf8Message is { } mine && other._utf8Message is { } theirs
            ? mine.AsSpan().SequenceEqual(theirs)
            : string.Equals(Message, other.Message, StringComparison.Ordinal);
}

/// <summary>A line kept in the recent-lines buffer for the table view and live tail.</summary>
public sealed record LogLine(
    DateTimeOffset Time,
    string Source,
    string ProcId,
    DynoName? Dyno,
    LineKind Kind,
    string Message)
{
    // An app line teed to history keeps its text as the line's UTF-8 (FromUtf8): history stores bytes, and a string
    // per app line made only to be encoded back to UTF-8 was most of what an app line cost the server.
    private string? _message = Message;
    private byte[]? _utf8Message;

    public string Message
    {
        get => _message ??= Encoding.UTF8.GetString(_utf8Message!);
        init
        {
            // Also on a copy (`with { Message = … }`), whose bytes are the old message's.
            _message = value;
            _utf8Message = null;
        }
    }

    /// <summary>The message as valid UTF-8 when the line was made from its bytes; null when made from a string.</summary>
    internal byte[]? Utf8Message => _utf8Message;

    /// <summary>A line whose message stays the given UTF-8 until it is first read as text. Invalid UTF-8 would not
    /// come back byte for byte from its decoded text, so such a line gets its string at once.</summary>
    internal static LogLine FromUtf8(DateTimeOffset time, string source, string procId, DynoName? dyno, LineKind kind,
        ReadOnlySpan<byte> message) =>
        message.IsEmpty || !Utf8.IsValid(message)
            ? new LogLine(time, source, procId, dyno, kind, RouterRequest.Text(message))
            : new LogLine(time, source, procId, dyno, kind, string.Empty) { _message = null, _utf8Message = message.ToArray() };

    // Written out because the message has two backing fields: a line holding UTF-8 equals one holding the string.
    public bool Equals(LogLine? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         Time.Equals(other.Time) &&
         string.Equals(Source, other.Source, StringComparison.Ordinal) &&
         string.Equals(ProcId, other.ProcId, StringComparison.Ordinal) &&
         EqualityComparer<DynoName?>.Default.Equals(Dyno, other.Dyno) &&
         Kind == other.Kind &&
         (_utf8Message is { } mine && other._utf8Message is { } theirs
             ? mine.AsSpan().SequenceEqual(theirs)
             : string.Equals(Message, other.Message, StringComparison.Ordinal)));

    public override int GetHashCode() => HashCode.Combine(Time, Source, ProcId, Dyno, Kind); // never the message's form
}
