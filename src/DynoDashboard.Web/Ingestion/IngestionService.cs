using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Web.History;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// The one reader of the drain queue and the one writer of the live store: parses each batch, applies it
/// to the store and tells the <see cref="LiveFeed"/>. A batch that throws is logged and counted; the next
/// batch goes on. At start it first replays what the drain journal holds beyond history's checkpoint: the bodies a
/// crash caught between the drain's 204 and history's commit.
/// </summary>
public sealed partial class IngestionService(
    DrainQueue queue,
    LiveStore store,
    LiveFeed feed,
    Export.PrometheusExport metrics,
    Export.DashboardTelemetry telemetry,
    HistoryWriter history,
    IngestionCounters counters,
    Microsoft.Extensions.Options.IOptions<Configuration.IngestOptions> options,
    ILogger<IngestionService> logger,
    RecentFrameIds frameIds,
    DrainJournal? journal = null) : BackgroundService
{
    // One parser for the service's lifetime: it owns the string pool that keeps dyno names allocation-free.
    private readonly HerokuLogParser _parser = new();

    // Shedding starts at the high-water mark and stops at half of it, so a queue hovering at the mark does not
    // flip the mode batch by batch. Depths are in batches; the mark is at least 0 (0 = always shed).
    private readonly int _shedAtDepth = queue.Capacity * options.Value.ShedAtQueuePercent / 100;
    private bool _shedding;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (journal is not null)
            {
                await ReplayAsync(journal, stoppingToken);
            }

            await foreach (var batch in queue.Reader.ReadAllAsync(stoppingToken))
            {
                using (batch)
                {
                    await Process(batch, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task ReplayAsync(DrainJournal journal, CancellationToken stoppingToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        long batches = 0, bytes = 0;
        foreach (var batch in journal.ReadUnwritten())
        {
            using (batch)
            {
                if (batch.FrameId is { } frameId)
                {
                    // A Logplex retry of a body that was journaled but whose 204 never arrived is still dropped.
                    frameIds.TryAdd(batch.App, frameId);
                }

                batches++;
                bytes += batch.Length;
                await Process(batch, stoppingToken);
            }
        }

        if (batches > 0)
        {
            LogReplayed(logger, batches, bytes, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Parses and applies the batch; the returned task completes once history has queued it (at once,
    /// unless history's queue is full: then ingestion waits rather than lose samples).</summary>
    internal ValueTask Process(DrainBatch batch, CancellationToken cancellationToken = default)
    {
        using var activity = Export.DashboardTelemetry.Activities.StartActivity("drain batch");
        activity?.SetTag("app", batch.App);
        activity?.SetTag("bytes", batch.Length);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        DrainParseResult result;
        var queued = ValueTask.CompletedTask;
        try
        {
            // The tee feeds the live store (through the Prometheus counters) and copies what history needs;
            // End queues that copy without waiting.
            // Everything is parsed and counted either way; shedding only keeps plain lines' text out of the
            // recent-lines buffer and history, the two costs per line that samples and rollups do not need.
            var shedding = UpdateShedding();
            var sink = history.Begin(batch.App, metrics.Wrap(batch.App, store.GetWriter(batch.App, shedding)), shedding);
            try
            {
                result = batch.Format == DrainFormat.Logplex
                    ? _parser.ParseLogplexBody(batch.Body, ref sink)
                    : _parser.ParseCliText(batch.Body, ref sink);
            }
            finally
            {
                queued = history.EndAsync(batch.JournalPosition, cancellationToken);
                if (shedding)
                {
                    counters.BatchShed(sink.ShedRouterLines, sink.ShedAppLines);
                }
            }
        }
#pragma warning disable CA1031 // A bad batch must never stop ingestion: log, count, go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            counters.BatchFailed();
            telemetry.BatchProcessed(batch.App, 0, System.Diagnostics.Stopwatch.GetElapsedTime(started), failed: true);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            LogBatchFailed(logger, ex, batch.App, batch.Length);
            return queued;
        }

        counters.BatchParsed(result);
        telemetry.BatchProcessed(batch.App, result.Lines, System.Diagnostics.Stopwatch.GetElapsedTime(started), failed: false);
        activity?.SetTag("lines", result.Lines);
        if (batch.DeclaredMessageCount is { } declared && declared != result.Frames)
        {
            counters.CountMismatch(batch.App);
            LogCountMismatch(logger, batch.App, declared, result.Frames);
        }

        if (result.Resyncs > 0)
        {
            LogResynced(logger, batch.App, result.Resyncs);
        }

        feed.Publish(batch.App);
        return queued;
    }

    /// <summary>Decides, per batch, whether to shed: on at the high-water mark, off below half of it.</summary>
    private bool UpdateShedding()
    {
        // The batch being processed has left the queue already; count it so a one-batch queue can reach its mark.
        var depth = queue.Depth + 1;
        var shedding = _shedding ? depth > _shedAtDepth / 2 : depth > _shedAtDepth;
        if (shedding != _shedding)
        {
            _shedding = shedding;
            counters.SetShedding(shedding);
            LogShedding(logger, shedding, depth, queue.Capacity);
        }

        return shedding;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replayed {Batches} drain batches ({Bytes} bytes) from the journal in {Milliseconds} ms: accepted before the last stop, not yet in history")]
    private static partial void LogReplayed(ILogger logger, long batches, long bytes, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingestion shedding {Shedding}: drain queue at {Depth} of {Capacity} batches")]
    private static partial void LogShedding(ILogger logger, bool shedding, int depth, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Drain batch for {App} ({Bytes} bytes) failed; skipped")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string app, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain batch for {App}: Logplex-Msg-Count says {Declared} frames, the body held {Frames}")]
    private static partial void LogCountMismatch(ILogger logger, string app, int declared, int frames);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain batch for {App}: {Resyncs} wrong octet counts; resynchronised and kept the text as raw lines")]
    private static partial void LogResynced(ILogger logger, string app, int resyncs);
}
