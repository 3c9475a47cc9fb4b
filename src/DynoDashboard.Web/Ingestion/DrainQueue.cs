using System.Threading.Channels;
using DynoDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// The bounded channel between the drain endpoint (many writers) and the ingestion service (one reader).
/// Writers never wait: a full queue is an immediate 503 so Logplex retries instead of timing out after 5 s.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is the drain's queue, and the name says so.")]
public sealed class DrainQueue
{
    private readonly Channel<DrainBatch> _channel;

    public DrainQueue(IOptions<IngestOptions> options)
    {
        Capacity = options.Value.QueueCapacity;
        _channel = Channel.CreateBounded<DrainBatch>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Capacity { get; }

    public int Depth => _channel.Reader.Count;

    public ChannelReader<DrainBatch> Reader => _channel.Reader;

    /// <summary>Queues the batch, or returns false at once when the queue is full (the caller keeps ownership).</summary>
    public bool TryEnqueue(DrainBatch batch) => _channel.Writer.TryWrite(batch);

    /// <summary>Waits for room (the demo fleet, which has no one to retry for it, uses this).</summary>
    public ValueTask EnqueueAsync(DrainBatch batch, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(batch, cancellationToken);
}
