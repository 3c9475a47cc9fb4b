using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using DynoDashboard.Web.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// <c>POST /drain/{app}</c>: checks the key, drops a retried frame id, copies the body into a pooled buffer,
/// queues it (through the journal, so a 204 survives a crash) and answers 204. Parsing happens in <see cref="IngestionService"/>. Logplex treats any 4xx as
/// "drop for good", so a body is never refused for what is inside it, only for who sent it and how big it is.
/// </summary>
public static class DrainEndpoint
{
    public const string LogplexContentType = "application/logplex-1";

    public static IEndpointRouteBuilder MapDrain(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/drain/{app}", HandleAsync)
            .WithName("Drain")
            .AllowAnonymous() // the ingest key is checked in the handler; dashboard sign-in does not apply
            .DisableAntiforgery()
            .ExcludeFromDescription();

        if (endpoints.ServiceProvider.GetRequiredService<IOptions<IngestOptions>>().Value.BareEndpointForBenchmarks)
        {
            // Anonymous like the drain, so the baseline pays for no sign-in work the drain does not pay for either.
            endpoints.MapPost("/drain-bare/{app}", ReadAndDiscardAsync)
                .DisableAntiforgery()
                .AllowAnonymous()
                .ExcludeFromDescription();
        }

        return endpoints;
    }

    /// <summary>The baseline for the drain's throughput: the least a receiver can do with a body (perf-anchors G2).</summary>
    private static async Task ReadAndDiscardAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
        }
    }

    private static async Task<IResult> HandleAsync(
        string app,
        HttpContext context,
        IngestKey key,
        RecentFrameIds frameIds,
        DrainQueue queue,
        IngestionCounters counters,
        IOptions<IngestOptions> options,
        TimeProvider time)
    {
        var request = context.Request;
        if (!key.Matches(app, PresentedKey(request)))
        {
            counters.RejectedUnauthorized();
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"DynoDashboard drain\", charset=\"UTF-8\"";
            return Problem(StatusCodes.Status401Unauthorized, "Missing or wrong ingest key",
                "Send the ingest key as the password of HTTP Basic auth (https://user:KEY@host/drain/APP) or as ?key=.");
        }

        if (!AppName.IsValid(app))
        {
            counters.RejectedBadRequest();
            return Problem(StatusCodes.Status400BadRequest, "Invalid app name",
                "The app name in /drain/{app} must be 1-64 lowercase letters, digits and dashes, like a Heroku app name.");
        }

        if (!TryGetFormat(request.ContentType, out var format))
        {
            counters.RejectedBadRequest();
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"Send Logplex frames as {LogplexContentType}, or 'heroku logs' output as text/plain.");
        }

        var maxBytes = options.Value.MaxBodyBytes;
        if (request.ContentLength > maxBytes)
        {
            counters.RejectedTooLarge();
            return TooLarge(maxBytes);
        }

        if (queue.IsFull)
        {
            // Turned away before the body is read: under a flood, reading and copying ~100 KiB only to drop it takes
            // CPU from the ingestion thread that would make room. The frame id is not recorded, so the retry gets in.
            counters.BatchReceived(app, (int)Math.Min(request.ContentLength ?? 0, maxBytes), time.GetUtcNow());
            return QueueFull(context, counters, options.Value);
        }

        var frameId = request.Headers["Logplex-Frame-Id"].ToString();
        if (frameId.Length > 0 && !frameIds.TryAdd(app, frameId))
        {
            counters.DuplicateFrame(app);
            return Results.NoContent();
        }

        DrainBatch? batch = null;
        try
        {
            batch = await ReadBodyAsync(app, format, frameId, context, maxBytes, time);
            if (batch is null)
            {
                counters.RejectedTooLarge();
                Forget(frameIds, app, frameId);
                return TooLarge(maxBytes);
            }

            counters.BatchReceived(app, batch.Length, batch.ReceivedAt);
            var queued = queue.TryEnqueue(batch);
            if (queued != DrainEnqueueResult.Queued)
            {
                Forget(frameIds, app, frameId);
                return queued == DrainEnqueueResult.QueueFull
                    ? QueueFull(context, counters, options.Value)
                    : StorageRefused(context, counters, options.Value, queued);
            }

            batch = null; // the ingestion service owns it now
            return Results.NoContent();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            counters.RejectedTooLarge();
            Forget(frameIds, app, frameId);
            return TooLarge(maxBytes);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client went away mid-upload: nothing was queued, so let its retry through.
            Forget(frameIds, app, frameId);
            counters.RejectedBadRequest();
            return Problem(StatusCodes.Status400BadRequest, "Incomplete body", "The request body ended before its declared length.");
        }
        finally
        {
            batch?.Dispose();
        }
    }

    private static IResult QueueFull(HttpContext context, IngestionCounters counters, IngestOptions options)
    {
        counters.RejectedQueueFull();
        context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, "Ingestion queue full",
            "DynoDashboard is behind; retry this batch shortly (Logplex retries a 5xx by itself).");
    }

    /// <summary>The batch could not be made safe on disk, so it is not acknowledged: a 204 would be a promise that
    /// it survives a crash. Logplex keeps a 5xx'd batch and retries it.</summary>
    private static IResult StorageRefused(HttpContext context, IngestionCounters counters, IngestOptions options,
        DrainEnqueueResult reason)
    {
        counters.RejectedStorage();
        context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return reason switch
        {
            DrainEnqueueResult.JournalFull => Problem(StatusCodes.Status503ServiceUnavailable, "History is behind",
                "The drain journal is at Storage:JournalMaxBytes with batches history has not stored yet; retry this batch shortly (Logplex retries a 5xx by itself)."),
            DrainEnqueueResult.DiskLow => Problem(StatusCodes.Status503ServiceUnavailable, "Disk space low",
                "Free space on the data folder's disk is under Storage:MinFreeBytes; the batch was not accepted. Logplex retries it, and the drain takes batches again once space returns."),
            DrainEnqueueResult.HistoryUnavailable => Problem(StatusCodes.Status503ServiceUnavailable, "History database not reached yet",
                "History's database has not answered since the dashboard started (see /healthz); the batch was not accepted. Logplex retries it."),
            _ => Problem(StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
                "The batch could not be written to disk (see /api/status → disk); it was not accepted. Logplex retries it."),
        };
    }

    private static void Forget(RecentFrameIds frameIds, string app, string frameId)
    {
        if (frameId.Length > 0)
        {
            frameIds.Remove(app, frameId);
        }
    }

    /// <summary>The password of Basic auth, else <c>?key=</c>; empty when neither is there.</summary>
    private static string PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 ? decoded[(colon + 1)..] : decoded;
            }
            catch (FormatException)
            {
                return string.Empty;
            }
        }

        return request.Query["key"].ToString();
    }

    private static bool TryGetFormat(string? contentType, out DrainFormat format)
    {
        format = DrainFormat.Logplex;
        if (string.IsNullOrEmpty(contentType))
        {
            // Logplex always sends a content type; a bare POST is most likely a hand-made Logplex body.
            return true;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        if (string.Equals(media.MediaType, LogplexContentType, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(media.MediaType, "text/plain", StringComparison.OrdinalIgnoreCase))
        {
            format = DrainFormat.CliText;
            return true;
        }

        return false;
    }

    /// <summary>Reads the body into a pooled buffer; null when it is larger than <paramref name="maxBytes"/>.</summary>
    private static async Task<DrainBatch?> ReadBodyAsync(string app, DrainFormat format, string frameId,
        HttpContext context, int maxBytes, TimeProvider time)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // Our own limit answers with problem+json; Kestrel's default (30 MB) would cut in with a bare 413 first.
            sizeFeature.MaxRequestBodySize = maxBytes + 1L;
        }

        var declaredCount = int.TryParse(request.Headers["Logplex-Msg-Count"].ToString(),
            System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : (int?)null;

        var initial = (int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes + 1L);
        var buffer = DrainBodyBuffers.Pool.Rent(Math.Max(initial, 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        DrainBodyBuffers.Pool.Return(buffer);
                        return null;
                    }

                    var bigger = DrainBodyBuffers.Pool.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    DrainBodyBuffers.Pool.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    DrainBodyBuffers.Pool.Return(buffer);
                    return null;
                }
            }
        }
        catch
        {
            DrainBodyBuffers.Pool.Return(buffer);
            throw;
        }

        return new DrainBatch(app, format, buffer, length, time.GetUtcNow(), declaredCount)
        {
            FrameId = frameId.Length > 0 ? frameId : null,
        };
    }

    private static IResult TooLarge(int maxBytes) => Problem(StatusCodes.Status413PayloadTooLarge, "Body too large",
        $"A drain body may be at most {maxBytes} bytes (Ingest:MaxBodyBytes). Split the upload into smaller parts.");

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: status);
}
