using System.Buffers;

namespace DynoDashboard.Web.Ingestion;

/// <summary>How a drain body is framed.</summary>
public enum DrainFormat
{
    /// <summary><c>application/logplex-1</c>: RFC 6587 octet-counted syslog frames.</summary>
    Logplex,

    /// <summary><c>text/plain</c>: lines of <c>heroku logs</c> output.</summary>
    CliText,
}

/// <summary>
/// One accepted drain body waiting in the queue. The bytes sit in a buffer rented from the shared pool, so
/// a busy drain does not allocate a fresh 100 KiB array per POST (see <see cref="DrainBodyBuffers"/>); <see cref="Dispose"/> returns it.
/// </summary>
public sealed class DrainBatch : IDisposable
{
    private byte[]? _buffer;

    public DrainBatch(string app, DrainFormat format, byte[] rentedBuffer, int length, DateTimeOffset receivedAt,
        int? declaredMessageCount = null)
    {
        App = app;
        Format = format;
        _buffer = rentedBuffer;
        Length = length;
        ReceivedAt = receivedAt;
        DeclaredMessageCount = declaredMessageCount;
    }

    public string App { get; }

    public DrainFormat Format { get; }

    public int Length { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The <c>Logplex-Msg-Count</c> header, when sent (Private Space drains send none).</summary>
    public int? DeclaredMessageCount { get; }

    /// <summary>The <c>Logplex-Frame-Id</c> header, when sent: kept in the journal so a replay still drops retries.</summary>
    public string? FrameId { get; init; }

    /// <summary>Where the batch ends in the <see cref="DrainJournal"/> (0 without one): what history's checkpoint
    /// records once the batch is written.</summary>
    public long JournalPosition { get; internal set; }

    public ReadOnlySpan<byte> Body => _buffer is null
        ? throw new ObjectDisposedException(nameof(DrainBatch))
        : _buffer.AsSpan(0, Length);

    /// <summary>The body as memory, for parsing ahead on another thread (<see cref="Core.Parsing.ParsedBody"/>).</summary>
    public ReadOnlyMemory<byte> Memory => _buffer is null
        ? throw new ObjectDisposedException(nameof(DrainBatch))
        : _buffer.AsMemory(0, Length);

    /// <summary>Copies <paramref name="body"/> into a pooled buffer (for the demo fleet and tests).</summary>
    public static DrainBatch Copy(string app, DrainFormat format, ReadOnlySpan<byte> body, DateTimeOffset receivedAt,
        int? declaredMessageCount = null, string? frameId = null)
    {
        var buffer = DrainBodyBuffers.Pool.Rent(Math.Max(body.Length, 1));
        body.CopyTo(buffer);
        return new DrainBatch(app, format, buffer, body.Length, receivedAt, declaredMessageCount) { FrameId = frameId };
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            DrainBodyBuffers.Pool.Return(buffer);
        }
    }
}
