using DynoDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Ingestion.Demo;

/// <summary>
/// Runs the demo fleet (<c>--demo</c>): every second it advances the simulated fleet by <c>Demo:Speed</c>
/// seconds and pushes the Logplex bodies it wrote through the same queue and parser as a real drain.
/// </summary>
public sealed partial class DemoSimulator(
    DrainQueue queue,
    IngestionCounters counters,
    IOptions<DemoOptions> options,
    TimeProvider time,
    ILogger<DemoSimulator> logger) : BackgroundService
{
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        var backfill = TimeSpan.FromMinutes(demo.BackfillMinutes);
        var fleet = new DemoFleet(time.GetUtcNow() - backfill);
        LogStarting(logger, demo.App, demo.Speed, demo.BackfillMinutes);

        try
        {
            // History first, a simulated minute at a time, so the first page load already shows a story.
            for (var done = TimeSpan.Zero; done < backfill; done += TimeSpan.FromMinutes(1))
            {
                var step = backfill - done < TimeSpan.FromMinutes(1) ? backfill - done : TimeSpan.FromMinutes(1);
                await EnqueueAsync(demo.App, fleet.Advance(step), fleet.LastFrameCounts, stoppingToken);
            }

            using var timer = new PeriodicTimer(s_tick, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await EnqueueAsync(demo.App, fleet.Advance(s_tick * demo.Speed), fleet.LastFrameCounts, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task EnqueueAsync(string app, IReadOnlyList<byte[]> bodies, IReadOnlyList<int> frameCounts,
        CancellationToken cancellationToken)
    {
        for (var i = 0; i < bodies.Count; i++)
        {
            var batch = DrainBatch.Copy(app, DrainFormat.Logplex, bodies[i], time.GetUtcNow(), frameCounts[i]);
            counters.BatchReceived(app, batch.Length, batch.ReceivedAt);
            try
            {
                await queue.EnqueueAsync(batch, time, cancellationToken);
            }
            catch
            {
                batch.Dispose();
                throw;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo fleet '{App}' running at {Speed}x with {Backfill} minutes of backfill")]
    private static partial void LogStarting(ILogger logger, string app, double speed, double backfill);
}
