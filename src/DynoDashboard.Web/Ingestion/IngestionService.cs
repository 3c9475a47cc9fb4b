using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Web.Storage;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// The one reader of the drain queue and the one writer of the live store: parses each batch, applies it
/// to the store and tells the <see cref="LiveFeed"/>. A batch that throws is logged and counted; the next
/// batch goes on. At start it first replays what the drain journal holds beyond history's checkpoint: the bodies a
/// crash caught between the drain's 204 and history's commit.
/// <para>
/// With more than one parse worker (<see cref="Configuration.IngestOptions.ParseWorkers"/>), the next few batches are
/// parsed on the thread pool into <see cref="ParsedBody"/> records while this service applies the earlier ones, strictly
/// in queue order: the live store keeps one writer and history's journal checkpoint stays a prefix.
/// </para>
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

    private readonly int _parseWorkers = options.Value.ParseWorkers > 0 ? options.Value.ParseWorkers : Environment.ProcessorCount;

    // Parsers and record lists for parsing ahead, reused batch after batch (at most one per batch in flight).
    private readonly ConcurrentBag<HerokuLogParser> _aheadParsers = [];
    private readonly ConcurrentBag<ParsedBody> _aheadBodies = [];

    // Shedding starts at the high-water mark and stops at half of it, so a queue hovering at the mark does not
    // flip the mode batch by batch. Depths are in batches; the mark is at least 0 (0 = always shed).
    private readonly int _shedAtDepth = queue.Capacity * options.Value.ShedAtQueuePercent / 100;
    private bool _shedding;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // History's store reached and the live store seeded from it (at once for LiteDB; a PostgreSQL database
            // may come up after the app): only then the journal's replay and new batches.
            await history.Ready.WaitAsync(stoppingToken);
            if (journal is not null)
            {
                await ReplayAsync(journal, stoppingToken);
            }

            if (_parseWorkers > 1)
            {
                await ParseAheadAsync(stoppingToken);
                return;
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

    /// <summary>
    /// Takes batches in queue order and starts parsing each on the thread pool; <see cref="ApplyInOrderAsync"/> awaits
    /// the parses in the same order. At most <see cref="_parseWorkers"/> batches are parsed or waiting at once, so the
    /// records in memory are bounded by configuration, and a full drain queue still pushes back on Logplex.
    /// </summary>
    private async Task ParseAheadAsync(CancellationToken stoppingToken)
    {
        var inFlight = Channel.CreateBounded<Task<AheadBatch>>(new BoundedChannelOptions(_parseWorkers)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var applying = ApplyInOrderAsync(inFlight, stoppingToken);
        try
        {
            await foreach (var batch in queue.Reader.ReadAllAsync(stoppingToken))
            {
                // Decided as the batch leaves the queue, as the direct path does, from the depth it leaves behind.
                var shedding = UpdateShedding();
                await inFlight.Writer.WriteAsync(Task.Run(() => ParseAhead(batch, shedding), CancellationToken.None), stoppingToken);
            }
        }
        finally
        {
            inFlight.Writer.TryComplete();
            await applying;
        }
    }

    private AheadBatch ParseAhead(DrainBatch batch, bool shedding)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var parser = _aheadParsers.TryTake(out var pooled) ? pooled : new HerokuLogParser();
        var parsed = _aheadBodies.TryTake(out var body) ? body : new ParsedBody();
        try
        {
            parsed.Parse(parser, batch.Memory, cliText: batch.Format == DrainFormat.CliText);
            return new AheadBatch(batch, parsed, null, System.Diagnostics.Stopwatch.GetElapsedTime(started), shedding);
        }
#pragma warning disable CA1031 // Reported in order by the applying thread, exactly as a direct parse's exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new AheadBatch(batch, parsed, ex, System.Diagnostics.Stopwatch.GetElapsedTime(started), shedding);
        }
        finally
        {
            _aheadParsers.Add(parser);
        }
    }

    /// <summary>Applies parsed batches strictly in queue order. Runs until the parse side completes (not on the stopping
    /// token), so every batch handed to it is applied or, at shutdown, at least disposed. Should applying ever fail, the
    /// channel is closed with that error, so the reading side fails too instead of waiting for room forever.</summary>
    private async Task ApplyInOrderAsync(Channel<Task<AheadBatch>> parsed, CancellationToken stoppingToken)
    {
        try
        {
            await ApplyAllAsync(parsed.Reader, stoppingToken);
        }
        catch (Exception ex)
        {
            parsed.Writer.TryComplete(ex);
            throw;
        }
    }

    private async Task ApplyAllAsync(ChannelReader<Task<AheadBatch>> parsed, CancellationToken stoppingToken)
    {
        await foreach (var parse in parsed.ReadAllAsync(CancellationToken.None))
        {
            var ahead = await parse;
            using (ahead.Batch)
            {
                try
                {
                    if (!stoppingToken.IsCancellationRequested)
                    {
                        await Process(ahead.Batch, ahead, stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    // Stopping while history was full: the journal replays this batch at the next start.
                }
                finally
                {
                    ahead.Body.Clear();
                    _aheadBodies.Add(ahead.Body);
                }
            }
        }
    }

    /// <summary>Parses and applies the batch; the returned task completes once history has queued it (at once,
    /// unless history's queue is full: then ingestion waits rather than lose samples).</summary>
    internal ValueTask Process(DrainBatch batch, CancellationToken cancellationToken = default) =>
        Process(batch, ahead: null, cancellationToken);

    /// <summary>Applies the batch, parsed here or ahead (<paramref name="ahead"/>), to the live store and history.</summary>
    private ValueTask Process(DrainBatch batch, AheadBatch? ahead, CancellationToken cancellationToken)
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
            var shedding = ahead?.Shedding ?? UpdateShedding();
            var sink = history.Begin(batch.App, metrics.Wrap(batch.App, store.GetWriter(batch.App, shedding)), shedding);
            try
            {
                if (ahead is not null)
                {
                    ahead.Body.Replay(ref sink);
                    if (ahead.Error is not null)
                    {
                        ExceptionDispatchInfo.Throw(ahead.Error);
                    }

                    result = ahead.Body.Result;
                }
                else
                {
                    result = batch.Format == DrainFormat.Logplex
                        ? _parser.ParseLogplexBody(batch.Body, ref sink)
                        : _parser.ParseCliText(batch.Body, ref sink);
                }
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
            telemetry.BatchProcessed(batch.App, 0, Elapsed(started, ahead), failed: true);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            LogBatchFailed(logger, ex, batch.App, batch.Length);
            return queued;
        }

        // The mismatch is counted before the batch is marked processed: whoever waits for "processed" sees its counts.
        if (batch.DeclaredMessageCount is { } declared && declared != result.Frames)
        {
            counters.CountMismatch(batch.App);
            LogCountMismatch(logger, batch.App, declared, result.Frames);
        }

        counters.BatchParsed(result);
        telemetry.BatchProcessed(batch.App, result.Lines, Elapsed(started, ahead), failed: false);
        activity?.SetTag("lines", result.Lines);

        if (result.Resyncs > 0)
        {
            LogResynced(logger, batch.App, result.Resyncs);
        }

        feed.Publish(batch.App);
        return queued;
    }

    /// <summary>Time spent on the batch: applying it, plus parsing it when that happened ahead (not the wait between).</summary>
    private static TimeSpan Elapsed(long started, AheadBatch? ahead) =>
        System.Diagnostics.Stopwatch.GetElapsedTime(started) + (ahead?.ParseTime ?? TimeSpan.Zero);

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

/// <summary>A batch parsed ahead: its records, or the exception that stopped the parse part-way (its records up to there
/// are still applied, as a direct parse would have applied them).</summary>
internal sealed record AheadBatch(DrainBatch Batch, ParsedBody Body, Exception? Error, TimeSpan ParseTime, bool Shedding);
