using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Heroku;

namespace DynoDashboard.Web.Alerts;

/// <summary>
/// Evaluates the alert rules every 10 s: records each transition, hands it to the notifier and, for rules
/// that say so, asks the guarded restarter to restart the dyno.
/// </summary>
public sealed partial class AlertService(
    AlertRuleBook rules,
    LiveStore store,
    InsightBoard board,
    AlertHistory history,
    AlertNotifier notifier,
    DynoRestarter restarter,
    TimeProvider time,
    ILogger<AlertService> logger) : BackgroundService
{
    internal static readonly TimeSpan Beat = TimeSpan.FromSeconds(10);

    private readonly AlertEngine _engine = new();
    private readonly Lock _lock = new();

    public IReadOnlyList<(string Rule, string App, string? Dyno, DateTimeOffset Since)> Firing
    {
        get
        {
            lock (_lock)
            {
                return _engine.Firing;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Beat, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await EvaluateAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<AlertTransition> transitions;
        try
        {
            lock (_lock)
            {
                transitions = _engine.Evaluate(rules.All, store, board, time.GetUtcNow());
            }
        }
#pragma warning disable CA1031 // Alerting must keep running whatever one evaluation hits.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogEvaluationFailed(logger, ex);
            return;
        }

        foreach (var transition in transitions)
        {
            history.Add(transition);
            LogTransition(logger, transition.Rule, transition.App, transition.Dyno ?? "-", transition.State);
            if (transition.Notify)
            {
                notifier.Enqueue(transition);
            }

            if (transition.RestartDyno && transition.Dyno is { } dyno)
            {
                await restarter.RestartAsync(transition.App, new DynoName(dyno), $"rule '{transition.Rule}'", automatic: true,
                    transition.Summary, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert evaluation failed")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert '{Rule}' on {App} {Dyno}: {State}")]
    private static partial void LogTransition(ILogger logger, string rule, string app, string dyno, AlertState state);
}
