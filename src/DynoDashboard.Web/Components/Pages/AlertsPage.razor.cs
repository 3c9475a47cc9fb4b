using System.Globalization;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Web.Alerts;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>
/// What is firing, the rules (configuration rules read-only; dashboard rules added, edited and deleted here in the
/// short form, with the parse error inline) and the history, newest first. Alerts are evaluated every 10 s on new
/// data, so the page re-reads whenever any app's data changes.
/// </summary>
public sealed partial class AlertsPage : ComponentBase, IDisposable
{
    /// <summary>History rows shown; the API pages further.</summary>
    internal const int ShownHistory = 200;

    private IReadOnlyList<(string Rule, string App, string? Dyno, DateTimeOffset Since)> _firing = [];
    private IReadOnlyList<AlertRule> _rules = [];
    private IReadOnlyList<AlertTransition> _history = [];
    private ConfiguredRule _form = new();
    private bool _editing;
    private string? _error;
    private IDisposable? _subscription;

    [Inject]
    public required AlertRuleBook Rules { get; init; }

    [Inject]
    public required AlertHistory History { get; init; }

    [Inject]
    public required AlertService Service { get; init; }

    [Inject]
    public required LiveFeed Feed { get; init; }

    protected override void OnInitialized()
    {
        Reload();
        _subscription = Feed.Subscribe(null, () => InvokeAsync(() =>
        {
            Reload();
            StateHasChanged();
        }));
    }

    private void Reload()
    {
        _firing = Service.Firing;
        _rules = Rules.All;
        _history = History.Get(null, ShownHistory);
    }

    private void Save()
    {
        if (string.IsNullOrWhiteSpace(_form.Name))
        {
            _error = "Give the rule a name.";
            return;
        }

        if (_form.Name.Length > 100)
        {
            _error = "A rule name is at most 100 characters.";
            return;
        }

        if (!_editing && _rules.Any(r => string.Equals(r.Name, _form.Name, StringComparison.Ordinal)))
        {
            // Adding must not silently replace: editing is explicit.
            _error = $"A rule named '{_form.Name}' exists; edit it instead.";
            return;
        }

        _error = _form.ToRule(out var parseError) is { } rule ? Rules.Save(rule) : parseError;
        if (_error is null)
        {
            Reset();
        }

        Reload();
    }

    private void Edit(AlertRule rule)
    {
        _form = new ConfiguredRule
        {
            Name = rule.Name,
            Rule = ShortForm(rule),
            App = rule.App,
            Scope = rule.Kind == AlertRuleKind.Absence && rule.Scope == AlertMetrics.AppScope ? null : rule.Scope,
            CooldownMinutes = rule.Cooldown.TotalMinutes,
            RestartDyno = rule.RestartDyno,
        };
        _editing = true;
        _error = null;
    }

    private void Delete(string name)
    {
        Rules.Remove(name);
        if (_editing && _form.Name == name)
        {
            Reset();
        }

        Reload();
    }

    private void Reset()
    {
        _form = new ConfiguredRule();
        _editing = false;
        _error = null;
    }

    /// <summary>The rule in the short form <see cref="AlertRule.Parse"/> reads, so editing round-trips.</summary>
    internal static string ShortForm(AlertRule rule) => rule.Kind switch
    {
        AlertRuleKind.Threshold => rule.For > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"{rule.Metric} {rule.Operator} {rule.Threshold} for {Duration(rule.For)}")
            : string.Create(CultureInfo.InvariantCulture, $"{rule.Metric} {rule.Operator} {rule.Threshold}"),
        AlertRuleKind.Pattern => string.Create(CultureInfo.InvariantCulture, $"{rule.Count} or more {rule.Code} in {Duration(rule.For)}"),
        AlertRuleKind.Absence => $"no {(rule.Scope == AlertMetrics.AppScope ? "data" : "samples")} for {Duration(rule.For)}",
        _ => "outlier",
    };

    private static string Duration(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays == Math.Floor(span.TotalDays) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays}d"),
        { TotalHours: >= 1 } when span.TotalHours == Math.Floor(span.TotalHours) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours}h"),
        _ when span.TotalMinutes == Math.Floor(span.TotalMinutes) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(span.TotalSeconds)}s"),
    };

    private static string Stamp(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
