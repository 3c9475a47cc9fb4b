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

    // A router error made from its line keeps its message as the line's UTF-8 (MessageText): history stores the bytes
    // as they are, and a string per error was about a sixth of what the server allocated in an H12 storm.
    private MessageText _message;

    /// <summary>The raw syslog MSG text.</summary>
    public required string Message
    {
        get => _message.Text;
        init => _message = MessageText.Of(value); // also on a copy (`with { Message = … }`), dropping the old bytes
    }

    /// <summary>The message as valid UTF-8 when the event was made from its line's bytes; null when made from a string.</summary>
    internal byte[]? Utf8Message => _message.Utf8;

    /// <summary>The message into a history block, without decoding bytes it still holds.</summary>
    internal void WriteMessageTo(BlockWriter writer) => _message.WriteTo(writer);

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
        var routerError = FromRouterError(request, string.Empty);
        routerError._message = MessageText.FromUtf8(request.Message);
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
         _message.TextEquals(ref other._message) &&
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
    // An app line teed to history keeps its text as the line's UTF-8 (MessageText): history stores bytes, and a string
    // per app line made only to be encoded back to UTF-8 was most of what an app line cost the server.
    private MessageText _message = MessageText.Of(Message);

    public string Message
    {
        get => _message.Text;
        init => _message = MessageText.Of(value); // also on a copy (`with { Message = … }`), dropping the old bytes
    }

    /// <summary>The message as valid UTF-8 when the line was made from its bytes; null when made from a string.</summary>
    internal byte[]? Utf8Message => _message.Utf8;

    /// <summary>The message into a history block, without decoding bytes it still holds.</summary>
    internal void WriteMessageTo(BlockWriter writer) => _message.WriteTo(writer);

    /// <summary>A line whose message stays the given UTF-8 until it is first read as text (invalid UTF-8 is decoded at
    /// once, as before).</summary>
    internal static LogLine FromUtf8(DateTimeOffset time, string source, string procId, DynoName? dyno, LineKind kind,
        ReadOnlySpan<byte> message) =>
        new(time, source, procId, dyno, kind, string.Empty) { _message = MessageText.FromUtf8(message) };

    // Written out because the message has two backing fields: a line holding UTF-8 equals one holding the string.
    public bool Equals(LogLine? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         Time.Equals(other.Time) &&
         string.Equals(Source, other.Source, StringComparison.Ordinal) &&
         string.Equals(ProcId, other.ProcId, StringComparison.Ordinal) &&
         EqualityComparer<DynoName?>.Default.Equals(Dyno, other.Dyno) &&
         Kind == other.Kind &&
         _message.TextEquals(ref other._message));

    public override int GetHashCode() => HashCode.Combine(Time, Source, ProcId, Dyno, Kind); // never the message's form
}
