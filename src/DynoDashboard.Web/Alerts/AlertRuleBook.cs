using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.History;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Alerts;

/// <summary>
/// The alert rules in force: those from configuration (read-only here) and those added in the UI or API, which
/// are kept in the <see cref="IOperationsLog"/> so they survive a restart of the dashboard.
/// </summary>
public sealed class AlertRuleBook
{
    /// <summary>Rules a user may add; enough for any team, and a bound on evaluation work.</summary>
    public const int MaxUserRules = 200;

    private readonly Lock _lock = new();
    private readonly List<AlertRule> _configured;
    private readonly IOperationsLog _log;
    private List<AlertRule>? _user; // read on first use: history's database may not be reached yet at construction

    public AlertRuleBook(IOptions<AlertOptions> options, IOperationsLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _configured = [.. options.Value.Rules.Select(r => r.ToRule(out _)).OfType<AlertRule>()];
    }

    /// <summary>The stored rules, read once (under <see cref="_lock"/>). A stored rule that configuration now defines,
    /// or that no longer validates, stays stored but out of force.</summary>
    private List<AlertRule> User => _user ??=
        [.. _log.GetAlertRules().Where(r => !IsConfigured(r.Name) && r.Validate().Count == 0).Take(MaxUserRules)];

    public IReadOnlyList<AlertRule> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _configured, .. User];
            }
        }
    }

    public bool IsConfigured(string name) => _configured.Any(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>Adds or replaces a user rule; the reason when it cannot.</summary>
    public string? Save(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var errors = rule.Validate();
        if (errors.Count > 0)
        {
            return string.Join(" ", errors);
        }

        lock (_lock)
        {
            if (IsConfigured(rule.Name))
            {
                return $"'{rule.Name}' comes from configuration (Alerts:Rules) and is changed there.";
            }

            var index = User.FindIndex(r => string.Equals(r.Name, rule.Name, StringComparison.Ordinal));
            if (index >= 0)
            {
                User[index] = rule;
            }
            else if (User.Count >= MaxUserRules)
            {
                return $"At most {MaxUserRules} rules can be added in the dashboard.";
            }
            else
            {
                User.Add(rule);
            }

            _log.SaveAlertRule(rule);
            return null;
        }
    }

    public bool Remove(string name)
    {
        lock (_lock)
        {
            var removed = User.RemoveAll(r => string.Equals(r.Name, name, StringComparison.Ordinal)) > 0;
            if (removed)
            {
                _log.DeleteAlertRule(name);
            }

            return removed;
        }
    }
}
