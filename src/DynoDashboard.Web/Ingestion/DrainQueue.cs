using System.Threading.Channels;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// The bounded channel between the drain endpoint (many writers) and the ingestion service (one reader).
/// Writers never wait: a full queue is an immediate 503 so Logplex retries instead of timing out after 5 s.
/// With a <see cref="DrainJournal"/>, every queued batch is appended to it first, in queue order.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is the drain's queue, and the name says so.")]
public sealed partial class DrainQueue
{
    private readonly Channel<DrainBatch> _channel;
    private readonly DrainJournal? _journal;
    private readonly Storage.FreeSpaceWatch? _disk;
    private readonly ILogger<DrainQueue> _logger;
    private static readonly TimeSpan s_storageRetry = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private DrainEnqueueResult? _refusing; // under _gate: the refusal being logged, so a spell is logged once

    /// <param name="journal">Null when <c>Storage:JournalMaxBytes</c> is 0 (not registered).</param>
    /// <param name="disk">Null in tests that build the queue alone.</param>
    public DrainQueue(IOptions<IngestOptions> options, ILogger<DrainQueue> logger, DrainJournal? journal = null,
        Storage.FreeSpaceWatch? disk = null)
    {
        Capacity = options.Value.QueueCapacity;
        _journal = journal;
        _disk = disk;
        _logger = logger;
        _channel = Channel.CreateBounded<DrainBatch>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Capacity { get; }

    public int Depth => _channel.Reader.Count;

    /// <summary>No room now. A hint only (the reader may make room a moment later); <see cref="TryEnqueue"/> decides.</summary>
    public bool IsFull => _channel.Reader.Count >= Capacity;

    public ChannelReader<DrainBatch> Reader => _channel.Reader;

    /// <summary>Queues the batch, or says at once why not (the caller keeps ownership then). With a journal, a batch
    /// is queued only once its journal record is written: the drain's 204 promises that.</summary>
    public DrainEnqueueResult TryEnqueue(DrainBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_disk is { IsLow: true })
        {
            // Under the floor: the room left is for history to store what was already acknowledged.
            return DrainEnqueueResult.DiskLow;
        }

        if (_journal is null)
        {
            return _channel.Writer.TryWrite(batch) ? DrainEnqueueResult.Queued : DrainEnqueueResult.QueueFull;
        }

        if (!_journal.IsAttached)
        {
            // History's database has not been reached since start: its checkpoint, which journal positions must
            // continue above, is not known yet.
            return DrainEnqueueResult.HistoryUnavailable;
        }

        lock (_gate)
        {
            // Writers take turns here and the one reader only removes, so room seen now is still there at TryWrite,
            // and journal order is queue order: the history checkpoint relies on both.
            if (_channel.Reader.Count >= Capacity)
            {
                return DrainEnqueueResult.QueueFull;
            }

            DrainEnqueueResult refusal;
            try
            {
                if (_journal.TryAppend(batch, out var position))
                {
                    batch.JournalPosition = position;
                    if (_refusing is not null)
                    {
                        LogResumed(_logger, _refusing.Value);
                        _refusing = null;
                    }

                    var queued = _channel.Writer.TryWrite(batch);
                    System.Diagnostics.Debug.Assert(queued, "room was checked under the gate");
                    return DrainEnqueueResult.Queued;
                }

                refusal = DrainEnqueueResult.JournalFull;
                if (_refusing != refusal)
                {
                    LogJournalFull(_logger);
                }
            }
            catch (IOException ex)
            {
                _disk?.Check(); // a full disk shows at once on /api/status and the banner, not at the next tick
                refusal = DrainEnqueueResult.StorageFailed;
                if (_refusing != refusal)
                {
                    // Once per spell, not per batch: a full disk fails every append, and Logplex retries each.
                    LogAppendFailed(_logger, ex, batch.App);
                }
            }

            _refusing = refusal;
            return refusal;
        }
    }

    /// <summary>Waits for room (the demo fleet, which has no one to retry for it, uses this).</summary>
    public async ValueTask EnqueueAsync(DrainBatch batch, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        while (TryEnqueue(batch) is var result && result != DrainEnqueueResult.Queued)
        {
            if (result != DrainEnqueueResult.QueueFull)
            {
                // The journal is full or failing: room comes back with history or disk space, not with the reader.
                await Task.Delay(s_storageRetry, time, cancellationToken);
            }
            else if (!await _channel.Writer.WaitToWriteAsync(cancellationToken))
            {
                throw new ChannelClosedException();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append a drain batch of {App} to the journal; refusing drain batches with 503 (Logplex retries them) until it can")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string app);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The drain journal is at Storage:JournalMaxBytes with bodies history has not stored yet (history is behind or failing); refusing drain batches with 503 until history catches up")]
    private static partial void LogJournalFull(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The drain journal takes batches again (was refusing them: {Reason})")]
    private static partial void LogResumed(ILogger logger, DrainEnqueueResult reason);
}

/// <summary>What <see cref="DrainQueue.TryEnqueue"/> did with a batch.</summary>
public enum DrainEnqueueResult
{
    /// <summary>Queued (and journaled, with a journal): the drain answers 204.</summary>
    Queued,

    /// <summary>The queue is full: ingestion is behind.</summary>
    QueueFull,

    /// <summary>The journal is at its byte budget with bodies history has not stored: history is behind or failing.</summary>
    JournalFull,

    /// <summary>The journal could not be written (an I/O error such as a full disk).</summary>
    StorageFailed,

    /// <summary>Free space on the data folder's disk is under <c>Storage:MinFreeBytes</c>.</summary>
    DiskLow,

    /// <summary>History's database has not been reached since start (<see cref="Storage.HistoryConnection"/>).</summary>
    HistoryUnavailable,
}
