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

    /// <summary>The raw syslog MSG text.</summary>
    public required string Message { get; init; }

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
}

/// <summary>A line kept in the recent-lines buffer for the table view and live tail.</summary>
public sealed record LogLine(
    DateTimeOffset Time,
    string Source,
    string ProcId,
    DynoName? Dyno,
    LineKind Kind,
    string Message);
