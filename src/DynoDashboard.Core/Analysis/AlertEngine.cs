using System.Globalization;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Analysis;

public enum AlertState
{
    Firing,
    Resolved,
}

/// <summary>A rule started or stopped firing for an app (and dyno, for per-dyno rules).</summary>
public sealed record AlertTransition(
    string Rule,
    string App,
    string? Dyno,
    AlertState State,
    DateTimeOffset At,
    string Summary,
    double? Value,
    bool Notify,
    bool RestartDyno);

/// <summary>
/// Evaluates alert rules against the live store and the insight board and reports transitions. Keeps, per
/// rule, app and dyno, since when the condition has held (a threshold must hold <see cref="AlertRule.For"/>),
/// whether it is firing, and when it last notified (the cooldown stops a flapping rule from paging every minute).
/// Conditions run on the data's clock, except "no data from the app", which can only be seen on the wall clock.
/// One evaluator calls it; it is not thread-safe.
/// </summary>
public sealed class AlertEngine
{
    private readonly Dictionary<(string Rule, string App, string Dyno), RuleState> _states = [];

    /// <summary>Rule, app and dyno that are firing now.</summary>
    public IReadOnlyList<(string Rule, string App, string? Dyno, DateTimeOffset Since)> Firing =>
        [.. _states.Where(s => s.Value.Firing).Select(s => (s.Key.Rule, s.Key.App, s.Key.Dyno.Length == 0 ? null : s.Key.Dyno, s.Value.FiringSince))];

    public IReadOnlyList<AlertTransition> Evaluate(IReadOnlyList<AlertRule> rules, LiveStore store, InsightBoard board, DateTimeOffset wallNow)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(board);
        var transitions = new List<AlertTransition>();
        var seen = new HashSet<(string, string, string)>();
        var apps = store.GetApps();
        foreach (var rule in rules.Where(r => r.Enabled && r.Validate().Count == 0))
        {
            foreach (var app in apps.Where(a => rule.AppliesToApp(a.Name)))
            {
                foreach (var (dyno, holds, value, summary, dataNow) in Conditions(rule, app, store, board, wallNow))
                {
                    var key = (rule.Name, app.Name, dyno?.Value ?? string.Empty);
                    seen.Add(key);
                    Step(rule, key, holds, value, summary, dataNow, transitions);
                }
            }
        }

        // A rule that was removed or a dyno that went away resolves whatever it had firing.
        foreach (var key in _states.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (_states[key].Firing)
            {
                transitions.Add(new AlertTransition(key.Rule, key.App, key.Dyno.Length == 0 ? null : key.Dyno, AlertState.Resolved,
                    wallNow, "No longer evaluated (rule removed or dyno gone).", null, Notify: true, RestartDyno: false));
            }

            _states.Remove(key);
        }

        return transitions;
    }

    private void Step(AlertRule rule, (string, string, string) key, bool holds, double? value, string summary, DateTimeOffset now,
        List<AlertTransition> transitions)
    {
        if (!_states.TryGetValue(key, out var state))
        {
            state = new RuleState();
            _states.Add(key, state);
        }

        var dyno = key.Item3.Length == 0 ? null : key.Item3;
        if (!holds)
        {
            state.HoldsSince = null;
            if (state.Firing)
            {
                state.Firing = false;
                transitions.Add(new AlertTransition(rule.Name, key.Item2, dyno, AlertState.Resolved, now, summary, value,
                    Notify: state.NotifiedThisFiring, RestartDyno: false));
            }

            return;
        }

        state.HoldsSince ??= now;
        if (state.Firing || now - state.HoldsSince.Value < (rule.Kind == AlertRuleKind.Threshold ? rule.For : TimeSpan.Zero))
        {
            return;
        }

        state.Firing = true;
        state.FiringSince = now;
        var notify = state.LastNotified is not { } last || now - last >= rule.Cooldown;
        state.NotifiedThisFiring = notify;
        if (notify)
        {
            state.LastNotified = now;
        }

        transitions.Add(new AlertTransition(rule.Name, key.Item2, dyno, AlertState.Firing, now, summary, value, notify,
            rule.RestartDyno && dyno is not null));
    }

    private static IEnumerable<(DynoName? Dyno, bool Holds, double? Value, string Summary, DateTimeOffset Now)> Conditions(
        AlertRule rule, AppSummary app, LiveStore store, InsightBoard board, DateTimeOffset wallNow)
    {
        var inv = CultureInfo.InvariantCulture;
        if (rule.Kind == AlertRuleKind.Absence && string.Equals(rule.Scope, AlertMetrics.AppScope, StringComparison.Ordinal))
        {
            var quiet = app.LastSeen is { } last ? wallNow - last : TimeSpan.MaxValue;
            yield return (null, quiet >= rule.For, quiet == TimeSpan.MaxValue ? null : quiet.TotalMinutes,
                string.Format(inv, "No data from {0} for {1:0} min", app.Name, quiet.TotalMinutes), wallNow);
            yield break;
        }

        var dynos = store.GetDynos(app.Name) ?? [];
        var now = app.LastSeen ?? wallNow;
        var window = rule.Kind == AlertRuleKind.Pattern ? rule.For : TimeSpan.FromMinutes(5);
        var signals = rule.Kind == AlertRuleKind.Threshold
            ? DynoSignals.Read(store, app.Name, window)?.Dynos.ToDictionary(s => s.Dyno)
            : null;
        var outliers = rule.Kind == AlertRuleKind.Outlier ? board.Get(app.Name).ToDictionary(i => i.Dyno) : null;
        foreach (var dyno in dynos.Where(d => rule.AppliesToDyno(d.Name)))
        {
            switch (rule.Kind)
            {
                case AlertRuleKind.Threshold:
                {
                    var value = ThresholdValue(rule.Metric!, dyno, signals?.GetValueOrDefault(dyno.Name), window);
                    var holds = value is { } v && Compare(v, rule.Operator, rule.Threshold);
                    yield return (dyno.Name, holds, value,
                        string.Format(inv, "{0} {1} = {2:0.##} ({3} {4:0.##})", dyno.Name, rule.Metric, value, rule.Operator, rule.Threshold), now);
                    break;
                }

                case AlertRuleKind.Pattern:
                {
                    var rollups = store.GetRollups(app.Name, dyno.Name, now - rule.For, now.AddSeconds(LiveStoreOptions.RollupBucketSeconds)) ?? [];
                    var count = rollups.Sum(r => r.ErrorsByCode.GetValueOrDefault(rule.Code!));
                    yield return (dyno.Name, count >= rule.Count, count,
                        string.Format(inv, "{0} had {1} {2} in {3:0} min", dyno.Name, count, rule.Code, rule.For.TotalMinutes), now);
                    break;
                }

                case AlertRuleKind.Absence:
                {
                    var (_, newest) = store.GetRuntimeCoverage(app.Name, dyno.Name);
                    var up = dyno.State is null or "up";
                    var silence = newest is { } n ? now - n : TimeSpan.MaxValue;
                    yield return (dyno.Name, up && silence >= rule.For, silence == TimeSpan.MaxValue ? null : silence.TotalMinutes,
                        string.Format(inv, "No runtime sample from {0} for {1:0.#} min while it is up", dyno.Name, silence.TotalMinutes), now);
                    break;
                }

                case AlertRuleKind.Outlier:
                {
                    var insight = outliers?.GetValueOrDefault(dyno.Name);
                    yield return (dyno.Name, insight is not null, null, insight?.Summary ?? $"{dyno.Name} is in line with its siblings", now);
                    break;
                }
            }
        }
    }

    private static double? ThresholdValue(string metric, DynoSnapshot dyno, DynoSignals? signals, TimeSpan window)
    {
        if (RuntimeMetrics.TryParse(metric, out var runtime))
        {
            return dyno.Latest is { } s && !double.IsNaN(s.Get(runtime)) ? s.Get(runtime) : null;
        }

        if (signals is null)
        {
            return null;
        }

        var errors = signals.ErrorsByCode.Values.Sum();
        return metric switch
        {
            "p95_service_ms" => signals.P95ServiceMs,
            "error_rate" => signals.Requests > 0 ? 100.0 * errors / signals.Requests : null,
            "5xx_rate" => signals.Requests > 0 ? 100.0 * signals.Status5xx / signals.Requests : null,
            "requests_per_min" => signals.Requests / window.TotalMinutes,
            "memory_of_quota" => signals.MemoryOfQuotaPercent,
            _ => null,
        };
    }

    private static bool Compare(double value, string op, double threshold) => op switch
    {
        ">" => value > threshold,
        ">=" => value >= threshold,
        "<" => value < threshold,
        _ => value <= threshold,
    };

    private sealed class RuleState
    {
        public DateTimeOffset? HoldsSince { get; set; }

        public bool Firing { get; set; }

        public DateTimeOffset FiringSince { get; set; }

        public DateTimeOffset? LastNotified { get; set; }

        public bool NotifiedThisFiring { get; set; }
    }
}
