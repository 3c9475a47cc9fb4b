using System.Globalization;
using System.Text.RegularExpressions;

namespace DynoDashboard.Core.Analysis;

/// <summary>What an alert rule watches.</summary>
public enum AlertRuleKind
{
    /// <summary>A runtime metric or router statistic of a dyno crosses a threshold for a duration (<c>memory_swap &gt; 50 for 5m</c>).</summary>
    Threshold,

    /// <summary>N or more of an error code on one dyno within a window (<c>5 or more H12 in 5m</c>).</summary>
    Pattern,

    /// <summary>No runtime sample from a dyno that is up (<c>Scope</c> a dyno or type), or no data at all from the app (<c>Scope</c> "app").</summary>
    Absence,

    /// <summary>The dyno is flagged as a sibling outlier.</summary>
    Outlier,
}

/// <summary>
/// One alert rule, from configuration (<c>Alerts:Rules</c>) or edited in the UI. <see cref="Scope"/> narrows
/// it to a dyno (<c>web.2</c>) or a process type (<c>web</c>); empty means every dyno. <see cref="App"/> empty
/// means every app.
/// </summary>
public sealed record AlertRule
{
    public required string Name { get; init; }

    public required AlertRuleKind Kind { get; init; }

    public string? App { get; init; }

    public string? Scope { get; init; }

    /// <summary>Threshold: a runtime metric (<c>memory_swap</c>, <c>load_avg_1m</c>…) or a router statistic
    /// (<c>p95_service_ms</c>, <c>error_rate</c>, <c>5xx_rate</c>, <c>requests_per_min</c>, <c>memory_of_quota</c>).</summary>
    public string? Metric { get; init; }

    /// <summary>Threshold: <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c> or <c>&lt;=</c>.</summary>
    public string Operator { get; init; } = ">";

    public double Threshold { get; init; }

    /// <summary>Pattern: the error code (<c>H12</c>).</summary>
    public string? Code { get; init; }

    /// <summary>Pattern: how many in <see cref="Window"/>.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Threshold: how long the condition must hold. Absence: how long the silence must last. Pattern: the window.</summary>
    public TimeSpan For { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>At most one notification per rule and dyno within this time.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(30);

    public bool Enabled { get; init; } = true;

    /// <summary>Restart the dyno when the rule fires (guarded: cooldown, hourly limit, never while a restart is in progress).</summary>
    public bool RestartDyno { get; init; }

    /// <summary>Problems with the rule, each naming the field; empty when it is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add("Name is required.");
        }

        switch (Kind)
        {
            case AlertRuleKind.Threshold:
                if (!AlertMetrics.IsKnown(Metric))
                {
                    errors.Add($"Metric '{Metric}' is not one of: {string.Join(", ", AlertMetrics.Names)}.");
                }

                if (Operator is not (">" or ">=" or "<" or "<="))
                {
                    errors.Add($"Operator '{Operator}' must be >, >=, < or <=.");
                }

                if (double.IsNaN(Threshold) || double.IsInfinity(Threshold))
                {
                    errors.Add("Threshold must be a number.");
                }

                break;
            case AlertRuleKind.Pattern:
                if (string.IsNullOrWhiteSpace(Code))
                {
                    errors.Add("Code is required for a pattern rule (e.g. H12).");
                }

                if (Count < 1)
                {
                    errors.Add("Count must be at least 1.");
                }

                break;
        }

        if (For < TimeSpan.Zero || For > TimeSpan.FromDays(1))
        {
            errors.Add("For must be between 0 and 1 day.");
        }

        if (Cooldown < TimeSpan.Zero || Cooldown > TimeSpan.FromDays(7))
        {
            errors.Add("Cooldown must be between 0 and 7 days.");
        }

        return errors;
    }

    /// <summary>True when the rule covers <paramref name="app"/>.</summary>
    public bool AppliesToApp(string app) => string.IsNullOrEmpty(App) || string.Equals(App, app, StringComparison.Ordinal);

    /// <summary>True when the rule covers the dyno (by its name or process type).</summary>
    public bool AppliesToDyno(Model.DynoName dyno) =>
        string.IsNullOrEmpty(Scope) || string.Equals(Scope, dyno.Value, StringComparison.Ordinal)
        || string.Equals(Scope, dyno.ProcessType, StringComparison.Ordinal);

    /// <summary>
    /// Reads the short forms the UI offers: <c>memory_swap &gt; 50 for 5m</c>, <c>5 or more H12 in 5m</c>,
    /// <c>no samples for 2m</c>, <c>no data for 10m</c>, <c>outlier</c>. Null with an error when it does not fit.
    /// </summary>
    public static AlertRule? Parse(string name, string text, out string? error)
    {
        error = null;
        text = text.Trim();
        var threshold = Regex.Match(text, @"^(?<metric>[a-z0-9_]+)\s*(?<op>>=|<=|>|<)\s*(?<value>-?\d+(\.\d+)?)\s*(MB|ms|%)?(\s+for\s+(?<for>\d+[smhd]))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (threshold.Success)
        {
            var rule = new AlertRule
            {
                Name = name,
                Kind = AlertRuleKind.Threshold,
                Metric = threshold.Groups["metric"].Value.ToLowerInvariant(),
                Operator = threshold.Groups["op"].Value,
                Threshold = double.Parse(threshold.Groups["value"].Value, CultureInfo.InvariantCulture),
                For = threshold.Groups["for"].Success ? Duration(threshold.Groups["for"].Value) : TimeSpan.Zero,
            };
            return Checked(rule, out error);
        }

        var pattern = Regex.Match(text, @"^(?<count>\d+)\s+or\s+more\s+(?<code>[HRL]\d\d)(\s+on\s+one\s+dyno)?\s+in\s+(?<for>\d+[smhd])$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (pattern.Success)
        {
            return Checked(new AlertRule
            {
                Name = name,
                Kind = AlertRuleKind.Pattern,
                Code = pattern.Groups["code"].Value.ToUpperInvariant(),
                Count = int.Parse(pattern.Groups["count"].Value, CultureInfo.InvariantCulture),
                For = Duration(pattern.Groups["for"].Value),
            }, out error);
        }

        var absence = Regex.Match(text, @"^no\s+(?<what>samples|data)\s+for\s+(?<for>\d+[smhd])$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (absence.Success)
        {
            return Checked(new AlertRule
            {
                Name = name,
                Kind = AlertRuleKind.Absence,
                Scope = absence.Groups["what"].Value.Equals("data", StringComparison.OrdinalIgnoreCase) ? AlertMetrics.AppScope : null,
                For = Duration(absence.Groups["for"].Value),
            }, out error);
        }

        if (text.Equals("outlier", StringComparison.OrdinalIgnoreCase))
        {
            return new AlertRule { Name = name, Kind = AlertRuleKind.Outlier, For = TimeSpan.Zero };
        }

        error = "Write a rule as 'memory_swap > 50 for 5m', '5 or more H12 in 5m', 'no samples for 2m', 'no data for 10m' or 'outlier'.";
        return null;
    }

    private static AlertRule? Checked(AlertRule rule, out string? error)
    {
        var errors = rule.Validate();
        error = errors.Count > 0 ? string.Join(" ", errors) : null;
        return errors.Count > 0 ? null : rule;
    }

    private static TimeSpan Duration(string text)
    {
        var value = int.Parse(text.AsSpan(0, text.Length - 1), CultureInfo.InvariantCulture);
        return char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => TimeSpan.FromDays(value),
        };
    }
}

/// <summary>The names a threshold rule can watch.</summary>
public static class AlertMetrics
{
    /// <summary>An absence rule with this scope watches the whole app ("no data from the app for 10 min").</summary>
    public const string AppScope = "app";

    private static readonly string[] s_router = ["p95_service_ms", "error_rate", "5xx_rate", "requests_per_min", "memory_of_quota"];

    public static IEnumerable<string> Names => Model.RuntimeMetrics.Names.Concat(s_router);

    public static bool IsKnown(string? metric) => metric is not null && Names.Contains(metric, StringComparer.Ordinal);
}
