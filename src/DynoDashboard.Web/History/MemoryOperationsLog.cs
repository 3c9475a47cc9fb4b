using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.History;

namespace DynoDashboard.Web.History;

/// <summary>
/// Keeps nothing: the stand-in when the history store is not a <see cref="IOperationsLog"/> (a test's fake store), so
/// alerts and restarts still work, in memory only.
/// </summary>
internal sealed class MemoryOperationsLog : IOperationsLog
{
    public IReadOnlyList<AlertRule> GetAlertRules() => [];

    public void SaveAlertRule(AlertRule rule)
    {
    }

    public bool DeleteAlertRule(string name) => false;

    public void AddAlertTransition(AlertTransition transition)
    {
    }

    public IReadOnlyList<AlertTransition> GetAlertTransitions(int limit) => [];

    public void AddRestart(RestartRecord restart)
    {
    }

    public IReadOnlyList<RestartRecord> GetRestarts(int limit) => [];
}
