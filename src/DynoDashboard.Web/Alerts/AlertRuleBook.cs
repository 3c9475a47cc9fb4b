using DynoDashboard.Core.Analysis;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Alerts;

/// <summary>
/// The alert rules in force: those from configuration (read-only here) and those added in the UI or API.
/// </summary>
public sealed class AlertRuleBook
{
    /// <summary>Rules a user may add; enough for any team, and a bound on evaluation work.</summary>
    public const int MaxUserRules = 200;

    private readonly Lock _lock = new();
    private readonly List<AlertRule> _configured;
    private readonly List<AlertRule> _user = [];

    public AlertRuleBook(IOptions<AlertOptions> options)
    {
        _configured = [.. options.Value.Rules.Select(r => r.ToRule(out _)).OfType<AlertRule>()];
    }

    public IReadOnlyList<AlertRule> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _configured, .. _user];
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

            var index = _user.FindIndex(r => string.Equals(r.Name, rule.Name, StringComparison.Ordinal));
            if (index >= 0)
            {
                _user[index] = rule;
            }
            else if (_user.Count >= MaxUserRules)
            {
                return $"At most {MaxUserRules} rules can be added in the dashboard.";
            }
            else
            {
                _user.Add(rule);
            }

            return null;
        }
    }

    public bool Remove(string name)
    {
        lock (_lock)
        {
            return _user.RemoveAll(r => string.Equals(r.Name, name, StringComparison.Ordinal)) > 0;
        }
    }
}
