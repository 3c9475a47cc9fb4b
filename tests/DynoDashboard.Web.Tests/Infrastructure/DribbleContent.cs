using System.Net;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>Sends a body a few bytes at a time (yielding between writes); can fail part-way, or stall there
/// for as long as <c>onStall</c> takes.</summary>
internal sealed class DribbleContent(byte[] body, int chunk, int failAfter = -1, int stallAfter = -1, Func<Task>? onStall = null)
    : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < body.Length; offset += chunk)
        {
            if (failAfter >= 0 && offset >= failAfter)
            {
                throw new IOException("client went away");
            }

            if (stallAfter >= 0 && offset >= stallAfter && onStall is not null)
            {
                await onStall();
                stallAfter = -1;
            }

            await stream.WriteAsync(body.AsMemory(offset, Math.Min(chunk, body.Length - offset)), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Yield();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
