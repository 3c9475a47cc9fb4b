using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;

namespace DynoDashboard.Web.Analysis;

/// <summary>
/// Scores every app's dynos against their siblings on a fixed beat and keeps the <see cref="InsightBoard"/>
/// current. The beat is 10 s of wall time (finer than the minute the outlier rule needs, so a flag is never
/// a minute late); the rule itself runs on the data's clock, so replayed and sped-up logs behave the same.
/// </summary>
public sealed partial class InsightEvaluator(
    LiveStore store,
    InsightBoard board,
    TimeProvider time,
    ILogger<InsightEvaluator> logger) : BackgroundService
{
    /// <summary>Router statistics are compared over this window before the app's newest data.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    internal static readonly TimeSpan Beat = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Beat, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                EvaluateAll();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal void EvaluateAll()
    {
        foreach (var app in store.GetApps())
        {
            try
            {
                if (DynoSignals.Read(store, app.Name, Window) is var (now, dynos))
                {
                    board.Evaluate(app.Name, now, dynos);
                }
            }
#pragma warning disable CA1031 // One app's bad data must not stop the others' insights.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogEvaluationFailed(logger, ex, app.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Insight evaluation for {App} failed")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception, string app);
}
