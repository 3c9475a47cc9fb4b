using DynoDashboard.Core.Analysis;
using DynoDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Alerts;

/// <summary>Alert rules and notification targets (<c>Alerts</c> section).</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    public List<ConfiguredRule> Rules { get; set; } = [];

    public List<WebhookTarget> Webhooks { get; set; } = [];

    /// <summary>First retry delay of a failing webhook; it doubles on each of <see cref="MaxAttempts"/>.</summary>
    public int RetryBaseDelayMs { get; set; } = 1000;

    public int MaxAttempts { get; set; } = 5;

    /// <summary>Notifications waiting to be sent; past this the oldest are dropped (and counted), never ingestion slowed.</summary>
    public int QueueCapacity { get; set; } = 1000;
}

/// <summary>A rule from configuration, in the same short form the UI takes.</summary>
public sealed class ConfiguredRule
{
    public string Name { get; set; } = "";

    /// <summary><c>memory_swap &gt; 50 for 5m</c>, <c>5 or more H12 in 5m</c>, <c>no samples for 2m</c>, <c>no data for 10m</c>, <c>outlier</c>.</summary>
    public string Rule { get; set; } = "";

    public string? App { get; set; }

    public string? Scope { get; set; }

    public double CooldownMinutes { get; set; } = 30;

    public bool RestartDyno { get; set; }

    public AlertRule? ToRule(out string? error)
    {
        var rule = AlertRule.Parse(Name, Rule, out error);
        return rule is null ? null : rule with
        {
            App = string.IsNullOrEmpty(App) ? null : App,
            Scope = string.IsNullOrEmpty(Scope) ? rule.Scope : Scope,
            Cooldown = TimeSpan.FromMinutes(CooldownMinutes),
            RestartDyno = RestartDyno,
        };
    }
}

public enum WebhookFormat
{
    /// <summary>A JSON POST of the transition.</summary>
    Json,

    /// <summary>A Slack-compatible incoming webhook: <c>{"text": "…"}</c>.</summary>
    Slack,
}

public sealed class WebhookTarget
{
    /// <summary>The webhook URL. It often carries a secret (Slack's does), so it is never logged whole.</summary>
    public Uri? Url { get; set; }

    public WebhookFormat Format { get; set; } = WebhookFormat.Json;
}

public sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        var errors = new SettingErrors();
        for (var i = 0; i < options.Rules.Count; i++)
        {
            if (options.Rules[i].ToRule(out var error) is null)
            {
                errors.Add($"Alerts:Rules:{i} ('{options.Rules[i].Name}'): {error}");
            }
        }

        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            if (options.Webhooks[i].Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"Alerts:Webhooks:{i}:Url must be an absolute http(s) URL.");
            }
        }

        errors.InRange("Alerts:RetryBaseDelayMs", options.RetryBaseDelayMs, 1, 600_000);
        errors.InRange("Alerts:MaxAttempts", options.MaxAttempts, 1, 20);
        errors.InRange("Alerts:QueueCapacity", options.QueueCapacity, 1, 1_000_000);

        return errors.Result();
    }
}
