using System.Net;
using DynoDashboard.Web.Security;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Configuration;

/// <summary>
/// Validates <see cref="SecurityOptions"/>, naming each setting. Secret values (API keys, the password hash) are
/// never echoed: only their shape is described.
/// </summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var errors = new List<string>();
        var auth = options.Auth;
        if (!AuthSettings.TryParseMode(auth.Mode, out var mode))
        {
            errors.Add($"Dashboard:Auth:Mode must be BrowserToken, Password or None; it is '{Shorten(auth.Mode)}'.");
        }

        if (mode == AuthMode.Password && !DashboardPassword.IsWellFormedHash(auth.PasswordHash))
        {
            errors.Add("Dashboard:Auth:PasswordHash must be set to a hash made by `--hash-password` when Dashboard:Auth:Mode is Password.");
        }

        if (auth.SessionHours is < 1 or > 24 * 365)
        {
            errors.Add($"Dashboard:Auth:SessionHours must be between 1 and 8760; it is {auth.SessionHours}.");
        }

        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            if (key is null || key.Length < 16 || key.Any(char.IsWhiteSpace) || key.Any(char.IsControl))
            {
                errors.Add($"Dashboard:ApiKeys:{i} must be at least 16 characters with no spaces or control characters.");
            }
        }

        var forwarded = options.ForwardedHeaders;
        for (var i = 0; i < forwarded.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(forwarded.KnownProxies[i], out _))
            {
                errors.Add($"Dashboard:ForwardedHeaders:KnownProxies:{i} must be an IP address; it is '{Shorten(forwarded.KnownProxies[i])}'.");
            }
        }

        for (var i = 0; i < forwarded.KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(forwarded.KnownNetworks[i], out _))
            {
                errors.Add($"Dashboard:ForwardedHeaders:KnownNetworks:{i} must be a CIDR network like 10.0.0.0/8; it is '{Shorten(forwarded.KnownNetworks[i])}'.");
            }
        }

        if (options.RateLimits.LoginPerMinute is < 1 or > 10_000)
        {
            errors.Add($"Dashboard:RateLimits:LoginPerMinute must be between 1 and 10000; it is {options.RateLimits.LoginPerMinute}.");
        }

        if (options.RateLimits.ApiPerMinute is < 1 or > 1_000_000)
        {
            errors.Add($"Dashboard:RateLimits:ApiPerMinute must be between 1 and 1000000; it is {options.RateLimits.ApiPerMinute}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Shorten(string? value) =>
        value is null ? "" : value.Length <= 40 ? value : value[..40] + "…";
}
