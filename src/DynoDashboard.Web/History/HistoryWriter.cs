using System.Diagnostics;
using System.Threading.Channels;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.History;

/// <summary>
/// The one writer of history. The ingestion thread tees each drain batch through <see cref="Begin"/>/<see cref="End"/>
/// into a bounded queue (never waiting: a full queue drops the batch from history and counts it); this service
/// drains the queue and commits one transaction per <see cref="StorageOptions.FlushInterval"/> or per
/// <see cref="StorageOptions.FlushFacts"/> facts. Before anything starts it applies retention and re-seeds the live
/// store; on a graceful stop it writes everything it accepted.
/// </summary>
public sealed partial class HistoryWriter : BackgroundService, IHostedLifecycleService
{
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromHours(1);

    // Deletes per sweep transaction: keeps one sweep step to tens of milliseconds, so writes are not held up.
    private const int SweepStep = 5_000;

    private readonly IHistoryStore _store;
    private readonly LiveStore _live;
    private readonly LiveStoreOptions _liveOptions;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HistoryWriter> _logger;
    private readonly Channel<HistoryBatch> _queue;
    private readonly HistoryTee _tee;
    private readonly List<HistoryBatch> _pending = [];
    private readonly Lock _writeLock = new();
    private int _pendingFacts;
    private long _acceptedFacts;
    private long _writtenFacts;
    private readonly int _priorityReserveFacts;
    private long _droppedBatches;
    private long _priorityOnlyBatches;
    private long _droppedFacts;
    private long _writes;
    private long _queuedFacts;
    private long _writeFailures;
    private long _sweptDocuments;
    private long _lastWriteTicks;

    public HistoryWriter(IHistoryStore store, LiveStore live, IOptions<LiveStoreOptions> liveOptions,
        IOptions<StorageOptions> options, TimeProvider time, ILogger<HistoryWriter> logger)
    {
        _store = store;
        _live = live;
        _liveOptions = liveOptions.Value;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _tee = new HistoryTee(time);
        _priorityReserveFacts = Math.Max(_options.QueueFacts / 8, 1);
        _queue = Channel.CreateBounded<HistoryBatch>(new BoundedChannelOptions(_options.QueueCapacity + PriorityReserve(_options.QueueCapacity))
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Starts teeing a drain batch of <paramref name="app"/>; the ingestion thread parses into the result.</summary>
    public HistoryTee Begin(string app, IHerokuLineSink liveWriter, bool shedPlainLines = false) =>
        _tee.Begin(app, liveWriter, shedPlainLines);

    /// <summary>Ends the batch begun with <see cref="Begin"/> and queues it for writing, or counts it as dropped.</summary>
    public void End()
    {
        var batch = _tee.End();
        if (batch.Count == 0)
        {
            return;
        }

        // Bounded by facts as well as batches: one 1 MiB body can hold thousands of lines, so a batch count alone
        // would let memory follow input volume.
        var queuedFacts = Interlocked.Read(ref _queuedFacts);
        if (queuedFacts + batch.Count <= _options.QueueFacts && _queue.Reader.Count < _options.QueueCapacity &&
            _queue.Writer.TryWrite(batch))
        {
            Interlocked.Add(ref _queuedFacts, batch.Count);
            Interlocked.Add(ref _acceptedFacts, batch.Count);
            return;
        }

        // No room for the whole batch: samples and events go first (issue 8, overload). They are a few percent of a
        // drain's facts, so a reserve of an eighth more facts and batches keeps them while requests and lines wait
        // for the writer to catch up. Dropped router facts leave history's rollups short; the live rollups are exact.
        if (batch.PriorityCount > 0 && queuedFacts + batch.PriorityCount <= _options.QueueFacts + _priorityReserveFacts)
        {
            var dropped = batch.KeepPriorityFactsOnly();
            if (_queue.Writer.TryWrite(batch))
            {
                Interlocked.Increment(ref _priorityOnlyBatches);
                Interlocked.Add(ref _droppedFacts, dropped);
                Interlocked.Add(ref _queuedFacts, batch.Count);
                Interlocked.Add(ref _acceptedFacts, batch.Count);
                return;
            }

            Interlocked.Add(ref _droppedFacts, dropped);
        }

        Interlocked.Increment(ref _droppedBatches);
        Interlocked.Add(ref _droppedFacts, batch.Count);
    }

    private static int PriorityReserve(int queueCapacity) => Math.Max(queueCapacity / 8, 1);

    private bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HistoryBatch? batch)
    {
        if (!_queue.Reader.TryRead(out batch))
        {
            return false;
        }

        Interlocked.Add(ref _queuedFacts, -batch.Count);
        return true;
    }

    public HistoryStatus Status()
    {
        var lastWrite = Interlocked.Read(ref _lastWriteTicks);
        return new HistoryStatus(
            QueueDepth: _queue.Reader.Count,
            QueueCapacity: _options.QueueCapacity,
            AcceptedFacts: Interlocked.Read(ref _acceptedFacts),
            WrittenFacts: Interlocked.Read(ref _writtenFacts),
            DroppedBatches: Interlocked.Read(ref _droppedBatches),
            DroppedFacts: Interlocked.Read(ref _droppedFacts),
            Writes: Interlocked.Read(ref _writes),
            WriteFailures: Interlocked.Read(ref _writeFailures),
            LastWrite: lastWrite == 0 ? null : new DateTimeOffset(lastWrite, TimeSpan.Zero),
            SweptDocuments: Interlocked.Read(ref _sweptDocuments),
            FileBytes: FileBytes())
        {
            PriorityOnlyBatches = Interlocked.Read(ref _priorityOnlyBatches),
        };
    }

    private long FileBytes()
    {
        var info = _store.GetFileInfo();
        return info.FileBytes + info.LogBytes;
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // Runs before every hosted service's StartAsync, so the live store is full before ingestion begins.
        Sweep();
        var watch = Stopwatch.StartNew();
        var seeded = HistorySeeder.Seed(_store, _live, _liveOptions);
        LogSeeded(_logger, seeded.Samples, seeded.Rollups, seeded.Events, seeded.Lines, watch.ElapsedMilliseconds);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Ingestion has stopped by now (it is registered after this service, so it stops first): write the rest.
        while (TryTake(out var batch))
        {
            Add(batch);
        }

        Flush();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextSweep = _time.GetUtcNow() + SweepInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await WaitForBatchAsync(nextSweep - _time.GetUtcNow(), stoppingToken))
                {
                    // Gather for one flush interval (or until the transaction is big enough), then commit once.
                    var deadline = _time.GetUtcNow() + _options.FlushInterval;
                    TakeQueued();
                    while (_pendingFacts < _options.FlushFacts &&
                           await WaitForBatchAsync(deadline - _time.GetUtcNow(), stoppingToken))
                    {
                        TakeQueued();
                    }

                    Flush();
                }

                if (_time.GetUtcNow() >= nextSweep)
                {
                    Sweep();
                    nextSweep = _time.GetUtcNow() + SweepInterval;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    private async Task<bool> WaitForBatchAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return _queue.Reader.Count > 0;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        wait.CancelAfter(timeout);
        try
        {
            return await _queue.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void TakeQueued()
    {
        while (_pendingFacts < _options.FlushFacts && TryTake(out var batch))
        {
            Add(batch);
        }
    }

    private void Add(HistoryBatch batch)
    {
        _pending.Add(batch);
        _pendingFacts += batch.Count;
    }

    private void Flush()
    {
        lock (_writeLock)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            try
            {
                _store.Write(_pending);
                Interlocked.Add(ref _writtenFacts, _pendingFacts);
                Interlocked.Increment(ref _writes);
                Interlocked.Exchange(ref _lastWriteTicks, _time.GetUtcNow().UtcTicks);
            }
#pragma warning disable CA1031 // A failed write must not stop history: log, count, go on with the next batch.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _writeFailures);
                LogWriteFailed(_logger, ex, _pendingFacts);
            }

            _pending.Clear();
            _pendingFacts = 0;
        }

        ReleaseWaiters();
    }

    private void Sweep()
    {
        var cutoff = _time.GetUtcNow() - TimeSpan.FromDays(_options.RetentionDays);
        long total = 0;
        int deleted;
        try
        {
            do
            {
                deleted = _store.Sweep(cutoff, SweepStep);
                total += deleted;
            }
            while (deleted == SweepStep);
        }
#pragma warning disable CA1031 // Retention failing must not stop writing; the next sweep tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSweepFailed(_logger, ex);
        }

        Interlocked.Add(ref _sweptDocuments, total);
        if (total > 0)
        {
            LogSwept(_logger, total, cutoff);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-seeded the live store from history: {Samples} samples, {Rollups} rollups, {Events} events, {Lines} lines in {Milliseconds} ms")]
    private static partial void LogSeeded(ILogger logger, long samples, long rollups, long events, long lines, long milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "History write of {Facts} facts failed; they are not stored")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int facts);

    [LoggerMessage(Level = LogLevel.Error, Message = "History retention sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Documents} history documents older than {Cutoff}")]
    private static partial void LogSwept(ILogger logger, long documents, DateTimeOffset cutoff);
}

/// <summary>The <c>history</c> section of <c>GET /api/status</c>. Facts are samples, requests, events and lines.</summary>
public sealed record HistoryStatus(
    int QueueDepth,
    int QueueCapacity,
    long AcceptedFacts,
    long WrittenFacts,
    long DroppedBatches,
    long DroppedFacts,
    long Writes,
    long WriteFailures,
    DateTimeOffset? LastWrite,
    long SweptDocuments,
    long FileBytes)
{
    /// <summary>Batches queued with only their samples and events because the queue had no room for the rest
    /// (their router facts and lines are in <see cref="DroppedFacts"/>).</summary>
    public long PriorityOnlyBatches { get; init; }
}
