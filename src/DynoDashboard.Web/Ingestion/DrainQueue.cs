using System.Threading.Channels;
using DynoDashboard.Web.Configuration;
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
    private readonly ILogger<DrainQueue> _logger;
    private readonly Lock _gate = new();
    private long _unjournaled;

    /// <param name="journal">Null when <c>Storage:JournalMaxBytes</c> is 0 (not registered).</param>
    public DrainQueue(IOptions<IngestOptions> options, ILogger<DrainQueue> logger, DrainJournal? journal = null)
    {
        Capacity = options.Value.QueueCapacity;
        _journal = journal;
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

    /// <summary>Batches queued without a journal record because appending failed (disk full, say): live, but not
    /// recoverable after a crash.</summary>
    public long Unjournaled => Interlocked.Read(ref _unjournaled);

    /// <summary>Queues the batch, or returns false at once when the queue is full (the caller keeps ownership).</summary>
    public bool TryEnqueue(DrainBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_journal is null)
        {
            return _channel.Writer.TryWrite(batch);
        }

        lock (_gate)
        {
            // Writers take turns here and the one reader only removes, so room seen now is still there at TryWrite,
            // and journal order is queue order: the history checkpoint relies on both.
            if (_channel.Reader.Count >= Capacity)
            {
                return false;
            }

            try
            {
                batch.JournalPosition = _journal.Append(batch);
            }
            catch (IOException ex)
            {
                // Keep the dashboard live even when the disk is not: the batch is processed, only not recoverable.
                Interlocked.Increment(ref _unjournaled);
                LogAppendFailed(_logger, ex, batch.App);
            }

            return _channel.Writer.TryWrite(batch);
        }
    }

    /// <summary>Waits for room (the demo fleet, which has no one to retry for it, uses this).</summary>
    public async ValueTask EnqueueAsync(DrainBatch batch, CancellationToken cancellationToken)
    {
        while (!TryEnqueue(batch))
        {
            if (!await _channel.Writer.WaitToWriteAsync(cancellationToken))
            {
                throw new ChannelClosedException();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append a drain batch of {App} to the journal; it is processed but not crash-safe")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string app);
}
