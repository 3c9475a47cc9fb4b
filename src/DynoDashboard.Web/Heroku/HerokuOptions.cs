using DynoDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Heroku;

/// <summary>The Heroku Platform API (<c>Heroku</c> section), used to restart dynos.</summary>
public sealed class HerokuOptions
{
    public const string Section = "Heroku";

    /// <summary>An OAuth or API token (<c>heroku authorizations:create</c>). Without it, restart is off. Never logged or shown.</summary>
    public string? ApiToken { get; set; }

    public Uri ApiBaseUrl { get; set; } = new("https://api.heroku.com");

    /// <summary>Automatic restarts of the same dyno are at least this far apart.</summary>
    public double RestartCooldownMinutes { get; set; } = 15;

    /// <summary>Automatic restarts per app in any hour, at most: a rule gone wrong must not cycle a whole fleet.</summary>
    public int MaxRestartsPerAppPerHour { get; set; } = 3;

    /// <summary>A restart counts as in progress until the dyno shows a new incarnation, or this long has passed.</summary>
    public double RestartSettleMinutes { get; set; } = 10;

    public bool RestartEnabled => !string.IsNullOrEmpty(ApiToken);
}

public sealed class HerokuOptionsValidator : IValidateOptions<HerokuOptions>
{
    public ValidateOptionsResult Validate(string? name, HerokuOptions options)
    {
        var errors = new SettingErrors();
        if (options.ApiBaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add("Heroku:ApiBaseUrl must be an absolute http(s) URL, e.g. https://api.heroku.com.");
        }

        errors.InRange("Heroku:RestartCooldownMinutes", options.RestartCooldownMinutes, 0, 24 * 60);
        errors.InRange("Heroku:MaxRestartsPerAppPerHour", options.MaxRestartsPerAppPerHour, 0, 1000);

        if (options.RestartSettleMinutes is <= 0 or > 120 || double.IsNaN(options.RestartSettleMinutes))
        {
            errors.Add($"Heroku:RestartSettleMinutes must be above 0 and at most 120; it is {options.RestartSettleMinutes}.");
        }

        return errors.Result();
    }
}
