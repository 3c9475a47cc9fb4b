using System.Security.Claims;
using System.Text.Encodings.Web;
using DynoDashboard.Web.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Security;

/// <summary>
/// <c>Authorization: Bearer KEY</c> with a key from <c>Dashboard:ApiKeys</c>, for <c>/api</c> and <c>/hubs</c>.
/// The keys are held as <see cref="Secret"/>s and every one is compared, in constant time. A failure says only
/// "invalid API key": the presented value is never logged or echoed.
/// </summary>
public sealed class ApiKeyAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string SchemeName = "ApiKey";

    /// <summary>The Prometheus exposition, which also takes the separate scrape key.</summary>
    public const string MetricsPath = "/metrics";

    private readonly ApiKeys _keys;

    public ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
        UrlEncoder encoder, ApiKeys keys)
        : base(options, logger, encoder) => _keys = keys;

    /// <summary>The bearer value, or null when the request carries no bearer credentials.</summary>
    internal static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (Request.Path.StartsWithSegments(MetricsPath) && _keys.MatchesScrapeKey(presented))
        {
            var scraper = new ClaimsIdentity([new Claim(ClaimTypes.Name, "metrics-scraper")], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(scraper), SchemeName)));
        }

        if (!_keys.Matches(presented))
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"DynoDashboard API\"";
        return Task.CompletedTask;
    }
}

/// <summary>The configured API keys (<c>Dashboard:ApiKeys</c>).</summary>
public sealed class ApiKeys(IOptions<SecurityOptions> options)
{
    private readonly Secret[] _keys = [.. options.Value.ApiKeys.Where(k => !string.IsNullOrEmpty(k)).Select(k => new Secret(k))];
    private readonly Secret[] _scrape = string.IsNullOrEmpty(options.Value.MetricsScrapeKey) ? [] : [new Secret(options.Value.MetricsScrapeKey)];

    public int Count => _keys.Length;

    public bool Matches(ReadOnlySpan<char> candidate) => Secret.MatchesAny(_keys, candidate);

    public bool MatchesScrapeKey(ReadOnlySpan<char> candidate) => Secret.MatchesAny(_scrape, candidate);
}

/// <summary>
/// <c>Dashboard:Auth:Mode=None</c>: everyone is the operator. Keeps the same authorization policies in every mode,
/// so an endpoint that demands sign-in (a hub, say) still works when sign-in is turned off.
/// </summary>
public sealed class OpenAccessAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger, UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OpenAccess";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
