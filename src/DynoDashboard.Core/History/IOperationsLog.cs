using DynoDashboard.Core.Analysis;

namespace DynoDashboard.Core.History;

/// <summary>One restart, asked for by a person or an alert rule: who or which rule, when, why, and the Platform API's answer.</summary>
public sealed record RestartRecord(
    DateTimeOffset Time,
    string App,
    string Dyno,
    string RequestedBy,
    bool Automatic,
    string Reason,
    bool Performed,
    int ApiStatus,
    string Outcome,
    string? IncarnationBefore);

/// <summary>
/// What the user and the alerting did, kept across restarts of the dashboard: rules added in the UI, alert
/// transitions and the restart audit. Narrow, like <see cref="IHistoryStore"/>, so another store can take it over.
/// </summary>
public interface IOperationsLog
{
    IReadOnlyList<AlertRule> GetAlertRules();

    /// <summary>Adds or replaces the rule of that name.</summary>
    void SaveAlertRule(AlertRule rule);

    bool DeleteAlertRule(string name);

    void AddAlertTransition(AlertTransition transition);

    /// <summary>Up to <paramref name="limit"/> transitions, newest first.</summary>
    IReadOnlyList<AlertTransition> GetAlertTransitions(int limit);

    void AddRestart(RestartRecord restart);

    /// <summary>Up to <paramref name="limit"/> restarts of every app, newest first.</summary>
    IReadOnlyList<RestartRecord> GetRestarts(int limit);
}
