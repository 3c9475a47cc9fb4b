namespace DynoDashboard.Web.Configuration;

/// <summary>How people sign in to the pages, the API and the hubs (<c>Dashboard:Auth:Mode</c>).</summary>
public enum AuthMode
{
    /// <summary>A random token made at first start, kept in the data folder and printed as a sign-in link.</summary>
    BrowserToken,

    /// <summary>A password whose PBKDF2 hash is in <c>Dashboard:Auth:PasswordHash</c>.</summary>
    Password,

    /// <summary>No sign-in at all: an explicit opt-out, warned about at every start.</summary>
    None,
}

/// <summary>Access to the dashboard (<c>Dashboard</c> section). The drain keeps its own key (<see cref="IngestOptions"/>).</summary>
public sealed class SecurityOptions
{
    public const string Section = "Dashboard";

    public AuthSettings Auth { get; set; } = new();

    /// <summary>Keys accepted as <c>Authorization: Bearer KEY</c> on <c>/api</c> and <c>/hubs</c> (scripts, other tools).</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>A key that opens only <c>/metrics</c> (<c>Authorization: Bearer KEY</c>), so a Prometheus server
    /// need not hold a key that also reads the API. <c>/metrics</c> takes the API keys too.</summary>
    public string? MetricsScrapeKey { get; set; }

    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    public RateLimitSettings RateLimits { get; set; } = new();
}

/// <summary>The <c>Dashboard:Auth</c> section.</summary>
public sealed class AuthSettings
{
    /// <summary><c>BrowserToken</c> (default), <c>Password</c> or <c>None</c>. A string so a typo is reported by
    /// name at start-up rather than as a binder exception.</summary>
    public string Mode { get; set; } = nameof(AuthMode.BrowserToken);

    /// <summary>For <c>Password</c>: the hash printed by <c>--hash-password</c> (ASP.NET Core Identity's PBKDF2 format).</summary>
    public string? PasswordHash { get; set; }

    /// <summary>How long a sign-in lasts without a visit (sliding). A week suits a dashboard left open.</summary>
    public int SessionHours { get; set; } = 24 * 7;

    internal AuthMode ParsedMode => TryParseMode(Mode, out var mode) ? mode : AuthMode.BrowserToken;

    internal static bool TryParseMode(string? text, out AuthMode mode)
    {
        foreach (var candidate in Enum.GetValues<AuthMode>())
        {
            if (string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                return true;
            }
        }

        mode = AuthMode.BrowserToken;
        return false;
    }
}

/// <summary>The <c>Dashboard:ForwardedHeaders</c> section: trust <c>X-Forwarded-For</c>/<c>-Proto</c> from a reverse proxy.</summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Off by default: without a proxy in front, anyone could claim to be HTTPS or any IP.</summary>
    public bool Enabled { get; set; }

    /// <summary>Proxy addresses whose headers are believed. Empty means loopback only (a proxy on the same host).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form (<c>10.0.0.0/8</c>), e.g. a container network.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

/// <summary>The <c>Dashboard:RateLimits</c> section: fixed one-minute windows per client address. The drain has none.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Requests to <c>/login</c> and <c>/logout</c> per client per minute: slows password guessing.</summary>
    public int LoginPerMinute { get; set; } = 10;

    /// <summary>Requests to <c>/api</c> per client per minute.</summary>
    public int ApiPerMinute { get; set; } = 600;
}
