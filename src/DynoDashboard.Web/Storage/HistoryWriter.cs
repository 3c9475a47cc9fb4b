using System.Diagnostics;
using System.Threading.Channels;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Storage;

/// <summary>
/// The one writer of history. The ingestion thread tees each drain batch through <see cref="Begin"/>/<see cref="EndAsync"/>
/// into two bounded queues: samples, router facts and events, which are never dropped (when that queue is full the
/// ingestion thread waits, and the drain's own queue answers 503 in turn), and app and raw lines, which are shed when
/// theirs is full (issue 8: samples and error events go first; plain lines may be shed, counted). This service
/// drains both and commits one transaction per <see cref="StorageOptions.FlushInterval"/> or per
/// <see cref="StorageOptions.FlushFacts"/> facts, with the drain journal's checkpoint in the same transaction.
/// Before anything starts it applies retention and re-seeds the live store; on a graceful stop it writes everything
/// it accepted.
/// </summary>
public sealed partial class HistoryWriter : BackgroundService, IHostedLifecycleService
{
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromHours(1);

    // A failed write is retried after 250 ms, doubling to at most 10 s: quick when it was a blip, cheap when the disk
    // stays full for an hour.
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_stopRetries = TimeSpan.FromSeconds(5);

    // Deletes per sweep transaction: keeps one sweep step to tens of milliseconds, so writes are not held up.
    private const int SweepStep = 5_000;

    private readonly IHistoryStore _store;
    private readonly LiveStore _live;
    private readonly LiveStoreOptions _liveOptions;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HistoryWriter> _logger;
    private readonly DrainJournal? _journal;
    private readonly HistoryConnection? _connection;
    private bool _seeded;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StorageHealth? _health;
    private readonly Channel<HistoryBatch> _facts;
    private readonly Channel<HistoryBatch> _lines;
    private readonly HistoryTee _tee;
    private readonly HistoryBatchPool _pool = new();
    private readonly List<HistoryBatch> _pending = [];
    private readonly Lock _writeLock = new();
    private readonly Lock _roomLock = new();
    private TaskCompletionSource? _room;
    private int _pendingFacts;
    private int _pendingLines;
    private long _pendingPosition;
    private long _acceptedFacts;
    private long _writtenFacts;
    private long _droppedBatches;
    private long _droppedFacts;
    private long _discardedFacts; // accepted, then shed by the writer: never to be written
    private long _waits;
    private long _writes;
    private long _queuedFacts;
    private long _queuedLines;
    private long _writeFailures;
    private long _sweptDocuments;
    private long _lastWriteTicks;
    private long _checkpoint;
    private long _failingSinceTicks; // 0 while writes succeed
    private int _failedAttempts; // of the write being retried; writer thread only

    public HistoryWriter(IHistoryStore store, LiveStore live, IOptions<LiveStoreOptions> liveOptions,
        IOptions<StorageOptions> options, TimeProvider time, ILogger<HistoryWriter> logger,
        DrainJournal? journal = null, StorageHealth? health = null, HistoryConnection? connection = null)
    {
        _store = store;
        _live = live;
        _liveOptions = liveOptions.Value;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _journal = journal;
        _health = health;
        _tee = new HistoryTee(time, _pool);
        _connection = connection;
        // A database not reached yet has its checkpoint read (and given to the journal) in StartAsync instead.
        _checkpoint = journal is null || connection?.IsOpen == false ? 0 : store.ReadJournalCheckpoint();
        _facts = Channel.CreateBounded<HistoryBatch>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _lines = Channel.CreateBounded<HistoryBatch>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Starts teeing a drain batch of <paramref name="app"/>; the ingestion thread parses into the result.</summary>
    public HistoryTee Begin(string app, IHerokuLineSink liveWriter, bool shedPlainLines = false) =>
        _tee.Begin(app, liveWriter, shedPlainLines);

    /// <summary>
    /// Ends the batch begun with <see cref="Begin"/> and queues it. Completes at once unless the queue of samples,
    /// router facts and events is full; then it completes when the writer has made room (back-pressure instead of loss).
    /// </summary>
    public ValueTask EndAsync(long journalPosition = 0, CancellationToken cancellationToken = default)
    {
        var batch = _tee.End();
        batch.JournalPosition = journalPosition;
        if (batch.TakeLines(_pool) is { } lines)
        {
            QueueLines(lines);
        }
        else if (batch.Count == 0 && journalPosition == 0)
        {
            _pool.Return(batch);
            return ValueTask.CompletedTask;
        }

        // Queued even when empty: it carries the journal position, and it wakes the writer for the lines.
        // Counted before queuing: once queued, the writer may write it and hand it back to the pool (emptied) at once.
        var count = batch.Count;
        if (HasRoom(count) && _facts.Writer.TryWrite(batch))
        {
            Accept(count);
            return ValueTask.CompletedTask;
        }

        Interlocked.Increment(ref _waits);
        return WaitAndQueueAsync(batch, count, cancellationToken);
    }

    private async ValueTask WaitAndQueueAsync(HistoryBatch batch, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_roomLock)
            {
                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            // Checked after taking the signal, so a take between the check and the wait cannot be missed.
            if (HasRoom(count) && _facts.Writer.TryWrite(batch))
            {
                Accept(count);
                return;
            }

            await room.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Bounded by facts as well as batches: one 1 MiB body can hold thousands of lines, so a batch count
    /// alone would let memory follow input volume. An empty queue takes any batch, however big.</summary>
    private bool HasRoom(int facts)
    {
        var queued = Interlocked.Read(ref _queuedFacts);
        return queued == 0 || queued + facts <= _options.QueueFacts;
    }

    private void Accept(int facts)
    {
        Interlocked.Add(ref _queuedFacts, facts);
        Interlocked.Add(ref _acceptedFacts, facts);
    }

    private void QueueLines(HistoryBatch lines)
    {
        var count = lines.Count; // read before queuing, as in EndAsync
        var queued = Interlocked.Read(ref _queuedLines);
        if (queued + count <= _options.QueueFacts && _lines.Writer.TryWrite(lines))
        {
            Interlocked.Add(ref _queuedLines, count);
            Interlocked.Add(ref _acceptedFacts, count);
            return;
        }

        // Lines are the costliest facts to store (a document and two index entries each) and the only ones that may
        // be shed: the live view still has them, and they are counted in /api/status.
        Interlocked.Increment(ref _droppedBatches);
        Interlocked.Add(ref _droppedFacts, count);
        _pool.Return(lines);
    }

    private bool TryTakeFacts([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HistoryBatch? batch)
    {
        if (!_facts.Reader.TryRead(out batch))
        {
            return false;
        }

        Interlocked.Add(ref _queuedFacts, -batch.Count);
        lock (_roomLock)
        {
            _room?.TrySetResult();
            _room = null;
        }

        return true;
    }

    /// <summary>Takes queued lines whose drain batch is at or before <paramref name="position"/>: a transaction holds
    /// every fact of the batches up to its checkpoint and nothing after it, so a replay neither loses nor repeats.</summary>
    private void TakeLinesUpTo(long position, bool shed = false)
    {
        // Lines have a FlushFacts budget of their own per transaction. Without a journal (position 0) nothing needs
        // them in step with the facts; with one, a line is taken only with or after its batch's facts.
        while (_pendingLines < _options.FlushFacts && _lines.Reader.TryPeek(out var next) &&
               (next.JournalPosition == 0 || next.JournalPosition <= position) &&
               _lines.Reader.TryRead(out next))
        {
            Interlocked.Add(ref _queuedLines, -next.Count);
            _pendingLines += next.Count;
            if (shed)
            {
                // Storing lines is most of the writer's work (a document and two index entries each); while samples,
                // router facts and events queue up behind them, lines are shed first (issue 8), counted.
                Interlocked.Increment(ref _droppedBatches);
                Interlocked.Add(ref _droppedFacts, next.Count);
                Interlocked.Add(ref _discardedFacts, next.Count);
                _pool.Return(next);
                continue;
            }

            Add(next);
        }
    }

    /// <summary>More than one transaction's worth of samples, router facts and events waits, and their queue is over
    /// half full: the writer is behind, not just meeting a burst, and ingestion will soon have to wait for it.</summary>
    private bool FactsBehind()
    {
        var queued = Interlocked.Read(ref _queuedFacts);
        return queued > _options.FlushFacts && queued > _options.QueueFacts / 2;
    }

    public HistoryStatus Status()
    {
        var lastWrite = Interlocked.Read(ref _lastWriteTicks);
        return new HistoryStatus(
            QueueDepth: _facts.Reader.Count + _lines.Reader.Count,
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
            Waits = Interlocked.Read(ref _waits),
            JournalCheckpoint = Interlocked.Read(ref _checkpoint),
            FailingSince = Interlocked.Read(ref _failingSinceTicks) is var failing and not 0
                ? new DateTimeOffset(failing, TimeSpan.Zero)
                : null,
        };
    }

    private long FileBytes()
    {
        var info = _store.GetFileInfo();
        return info.FileBytes + info.LogBytes;
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // Runs before every hosted service's StartAsync, so the live store is full before ingestion (and Kestrel)
        // begins. A database not reached yet is seeded from in StartAsync, after HistoryConnector reached it.
        if (_connection?.IsOpen != false)
        {
            SweepAndSeed();
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes once history's store has been reached and the live store seeded from it; ingestion waits
    /// for it before replaying the journal.</summary>
    public Task Ready => _ready.Task;

    /// <summary>A database reached only after start (<see cref="HistoryConnector"/>): its journal checkpoint, then
    /// the sweep and the seeding that LiteDB does in <see cref="StartingAsync"/>.</summary>
    private async Task OpenLateAsync(CancellationToken stoppingToken)
    {
        await _connection!.WhenOpen.WaitAsync(stoppingToken);
        _checkpoint = _journal is null ? 0 : _store.ReadJournalCheckpoint();
        _journal?.Attach(_checkpoint);
        SweepAndSeed();
    }

    private void SweepAndSeed()
    {
        Sweep();
        var watch = Stopwatch.StartNew();
        var seeded = HistorySeeder.Seed(_store, _live, _liveOptions);
        LogSeeded(_logger, seeded.Samples, seeded.Rollups, seeded.Events, seeded.Lines, watch.ElapsedMilliseconds);
        _seeded = true;
        _ready.TrySetResult();
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Ingestion has stopped by now (it is registered after this service, so it stops first): write the rest, within
        // the host's shutdown timeout. What does not make it stays in the drain journal for the next start.
        // A failing write is retried for a few seconds only: a disk that is full now rarely frees itself during a
        // stop, and the platform's SIGKILL (Heroku: 30 s after SIGTERM) must not come first.
        using var retries = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var retrying = false;
        try
        {
            do
            {
                TakeQueued();
                TakeLinesUpTo(long.MaxValue);
                while (!Flush())
                {
                    if (!retrying)
                    {
                        retries.CancelAfter(s_stopRetries); // counted from the first failure
                        retrying = true;
                    }

                    await Task.Delay(RetryDelay(), _time, retries.Token);
                }
            }
            while (_facts.Reader.Count > 0 || _lines.Reader.Count > 0);
        }
        catch (OperationCanceledException) when (retries.IsCancellationRequested)
        {
            LogStoppedUnwritten(_logger, _pendingFacts + Interlocked.Read(ref _queuedFacts));
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (_connection is not null && !_seeded)
            {
                await OpenLateAsync(stoppingToken);
            }

            _ready.TrySetResult(); // also for a writer made without the app's hosting (tests): nothing to wait for
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // stopped before the database was ever reached: nothing was accepted
        }

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

                    while (!Flush())
                    {
                        // Nothing more is taken while the write fails: ingestion waits, the drain answers 503, and
                        // memory stays at one transaction's worth.
                        await Task.Delay(RetryDelay(), _time, stoppingToken);
                    }
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
        if (_facts.Reader.Count > 0 || HasTakeableLines())
        {
            return true;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        wait.CancelAfter(timeout);
        try
        {
            return await _facts.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void TakeQueued()
    {
        // Decided once per gathering, before taking anything, from what is waiting now.
        var shedLines = FactsBehind();
        while (_pendingFacts < _options.FlushFacts && TryTakeFacts(out var batch))
        {
            Add(batch);
            // Batch by batch, so one transaction holds at most FlushFacts plus one batch's lines: LiteDB keeps a
            // transaction's pages in memory, and its cache does not shrink after a huge one.
            TakeLinesUpTo(_pendingPosition, shedLines);
        }

        TakeLinesUpTo(_pendingPosition, shedLines); // lines left over from a gathering that hit its budget
    }

    /// <summary>Lines this gathering may still take: within its budget, and (with a journal) not ahead of the facts.</summary>
    private bool HasTakeableLines() =>
        _pendingLines < _options.FlushFacts && _lines.Reader.TryPeek(out var next) &&
        (next.JournalPosition == 0 || next.JournalPosition <= _pendingPosition);

    private void Add(HistoryBatch batch)
    {
        _pending.Add(batch);
        _pendingFacts += batch.Count;
        _pendingPosition = Math.Max(_pendingPosition, batch.JournalPosition);
    }

    /// <summary>Writes what is pending in one transaction. False when the write failed: everything stays pending
    /// (and in the drain journal, whose checkpoint has not moved) for the caller to retry after <see cref="RetryDelay"/>.</summary>
    private bool Flush()
    {
        lock (_writeLock)
        {
            // Nothing to write can still mean lines were shed: waiters are released below either way.
            try
            {
                if (_pending.Count > 0)
                {
                    _store.Write(_pending);
                    Interlocked.Increment(ref _writes);
                    Interlocked.Exchange(ref _lastWriteTicks, _time.GetUtcNow().UtcTicks);
                }
            }
#pragma warning disable CA1031 // A failed write must not stop history: log, count, keep the facts and retry.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (_failedAttempts++ == 0)
                {
                    var since = _time.GetUtcNow();
                    Interlocked.Exchange(ref _failingSinceTicks, since.UtcTicks);
                    LogWriteFailed(_logger, ex, _pendingFacts);
                    _health?.Set(new StorageCondition(StorageConditionKinds.HistoryFailing,
                        "History writes are failing and being retried; the drain journal keeps the batches until they succeed",
                        since, Blocking: false));
                }
                else
                {
                    LogWriteStillFailing(_logger, _failedAttempts, _pendingFacts, ex.Message);
                }

                // Counted last: a status that shows a failure also shows the condition it set.
                Interlocked.Increment(ref _writeFailures);

                return false;
            }

            if (_failedAttempts > 0)
            {
                LogWriteRecovered(_logger, _failedAttempts, _pendingFacts);
                _failedAttempts = 0;
                Interlocked.Exchange(ref _failingSinceTicks, 0);
                _health?.Clear(StorageConditionKinds.HistoryFailing);
            }

            if (_pendingPosition > Interlocked.Read(ref _checkpoint))
            {
                Interlocked.Exchange(ref _checkpoint, _pendingPosition);
                _journal?.Release(_pendingPosition);
            }

            Interlocked.Add(ref _writtenFacts, _pendingFacts);

            // Written, the batches are read no more: back to the pool, lists and all, for the next drain batches.
            foreach (var batch in _pending)
            {
                _pool.Return(batch);
            }

            _pending.Clear();
            _pendingFacts = 0;
            _pendingLines = 0;
        }

        ReleaseWaiters();
        return true;
    }

    /// <summary>The wait before retrying the failed write: doubling from <see cref="s_firstRetry"/> to
    /// <see cref="s_maxRetry"/>.</summary>
    private TimeSpan RetryDelay() =>
        TimeSpan.FromTicks(Math.Min(s_maxRetry.Ticks, s_firstRetry.Ticks << Math.Min(_failedAttempts - 1, 16)));

    private void Sweep()
    {
        // Each app's own retention (Storage:Apps:{app}:RetentionDays) applies in the store; the log names the default.
        var now = _time.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(_options.RetentionDays);
        long total = 0;
        int deleted;
        try
        {
            do
            {
                deleted = _store.SweepExpired(now, SweepStep);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "History write of {Facts} facts failed; retrying with back-off (the drain journal keeps them, and the drain answers 503 once ingestion has to wait)")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int facts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "History write still failing (attempt {Attempt}, {Facts} facts waiting): {Reason}")]
    private static partial void LogWriteStillFailing(ILogger logger, int attempt, int facts, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "History writes work again after {Attempts} failed attempts; {Facts} facts written")]
    private static partial void LogWriteRecovered(ILogger logger, int attempts, int facts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped before history had {Facts} facts; the drain journal keeps them and the next start writes them")]
    private static partial void LogStoppedUnwritten(ILogger logger, long facts);

    [LoggerMessage(Level = LogLevel.Error, Message = "History retention sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Documents} history documents older than {Cutoff}")]
    private static partial void LogSwept(ILogger logger, long documents, DateTimeOffset cutoff);
}

/// <summary>The <c>history</c> section of <c>GET /api/status</c>. Facts are samples, requests, events and lines;
/// only lines are ever dropped (<see cref="DroppedBatches"/> batches' lines, <see cref="DroppedFacts"/> lines).</summary>
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
    /// <summary>Times the ingestion thread waited for the writer because the queue of samples, router facts and
    /// events was full.</summary>
    public long Waits { get; init; }

    /// <summary>The drain-journal position of the newest batch fully written (0 without a journal).</summary>
    public long JournalCheckpoint { get; init; }

    /// <summary>Since when writes fail (they are being retried); null while they succeed.</summary>
    public DateTimeOffset? FailingSince { get; init; }
}
