using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Storage;

namespace DynoDashboard.Web.Api;

/// <summary>The JSON API under <c>/api</c> (camelCase). Unknown apps and dynos are 404 problem+json.</summary>
public static class ApiEndpoints
{
    private const int DefaultEventLimit = 100;
    private const int MaxEventLimit = 5_000;
    private const int MaxPointsLimit = 100_000;

    public static IEndpointRouteBuilder MapDynoApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("DynoDashboard");

        api.MapGet("/status", (IngestionCounters counters, DrainQueue queue, HistoryWriter history, IServiceProvider services) =>
            TypedResults.Ok(counters.Snapshot(queue.Depth, queue.Capacity) with
            {
                History = history.Status(),
                Journal = services.GetService<DrainJournal>()?.Status(),
                Disk = services.GetService<Storage.FreeSpaceWatch>()?.Status(),
                Storage = services.GetService<Storage.StorageHealth>()?.Status(),
            }))
            .WithSummary("Ingestion counters, drain queue depth, history-writer, journal and disk status, and storage conditions and recoveries");

        api.MapGet("/apps", (LiveStore store) =>
            TypedResults.Ok(store.GetApps().Select(a => new AppResponse(a.Name, a.DynoCount, a.LastSeen)).ToList()))
            .WithSummary("Apps that have sent logs, with dyno count and last data");

        api.MapGet("/apps/{app}/dynos", (string app, LiveStore store) =>
            store.GetDynos(app) is { } dynos
                ? Results.Ok(dynos.Select(DynoResponse.From).ToList())
                : UnknownApp(app))
            .WithSummary("An app's dynos with their latest runtime sample and router totals")
            .Produces<List<DynoResponse>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/apps/{app}/dynos/{dyno}/series", GetSeries)
            .WithSummary("One runtime metric of a dyno over a time range (live and history), downsampled to maxPoints")
            .Produces<SeriesResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/apps/{app}/events", GetEvents)
            .WithSummary("Dyno events (state changes, crashes, error codes), newest first, optionally for one dyno or code")
            .Produces<List<EventResponse>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Anything else under /api is a 404 with problem details rather than the HTML not-found page.
        api.Map("/{**rest}", (string? rest) => Results.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "No such API endpoint",
            detail: "See README.md for the endpoints under /api."))
            .ExcludeFromDescription(); // not an endpoint: the 404 for paths that match none
        return endpoints;
    }

    private static IResult GetSeries(string app, string dyno, string? metric, string? from, string? to, int? maxPoints,
        DynoTimeline timeline, TimeProvider time)
    {
        if (maxPoints is < 2 or > MaxPointsLimit)
        {
            return BadRequest("Invalid maxPoints", $"maxPoints must be between 2 and {MaxPointsLimit}.");
        }

        if (!RuntimeMetrics.TryParse(metric, out var parsed))
        {
            return BadRequest("Unknown metric",
                $"metric must be one of: {string.Join(", ", RuntimeMetrics.Names)} (Heroku's names without 'sample#').");
        }

        if (ParseRange(from, to, time) is not { } range)
        {
            return InvalidRange();
        }

        var (fromTime, toTime) = range;

        if (!timeline.KnowsApp(app))
        {
            return UnknownApp(app);
        }

        // Live store, history or both, depending on the range; at most maxPoints points either way.
        var points = timeline.GetSeries(app, new DynoName(dyno), parsed, fromTime, toTime,
            maxPoints ?? DynoTimeline.DefaultMaxPoints);
        return points is null
            ? UnknownDyno(app, dyno)
            : Results.Ok(new SeriesResponse(RuntimeMetrics.NameOf(parsed), RuntimeMetrics.UnitOf(parsed),
                points.Select(p => new PointResponse(p.T, p.V)).ToList()));
    }

    private static IResult GetEvents(string app, string? dyno, string? code, int? limit, string? from, string? to,
        DynoTimeline timeline, TimeProvider time)
    {
        if (limit is < 1 or > MaxEventLimit)
        {
            return BadRequest("Invalid limit", $"limit must be between 1 and {MaxEventLimit}.");
        }

        if (ParseRange(from, to, time) is not { } range)
        {
            return InvalidRange();
        }

        var (fromTime, toTime) = range;

        if (!timeline.KnowsApp(app))
        {
            return UnknownApp(app);
        }

        DynoName? dynoName = string.IsNullOrEmpty(dyno) ? null : new DynoName(dyno);
        if (dynoName is { } wanted && !timeline.KnowsDyno(app, wanted))
        {
            return UnknownDyno(app, dyno!);
        }

        var events = timeline.GetEvents(app, dynoName, string.IsNullOrEmpty(code) ? null : code.ToUpperInvariant(),
            fromTime, toTime, limit ?? DefaultEventLimit);
        return Results.Ok(events.Select(EventResponse.From).ToList());
    }

    /// <summary>Both ends parsed (null inner values are open ends), or null when either is malformed.</summary>
    private static (DateTimeOffset? From, DateTimeOffset? To)? ParseRange(string? from, string? to, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return TimeRange.TryParse(from, now, out var fromTime) && TimeRange.TryParse(to, now, out var toTime)
            ? (fromTime, toTime)
            : null;
    }

    private static IResult InvalidRange() => BadRequest("Invalid time range",
        "from and to take ISO 8601 times (2026-11-26T10:00:00Z) or relative ones (-15m, -1h, -7d).");

    private static IResult BadRequest(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    // The names echoed back are already validated or come from the URL the caller sent; no secrets here.
    private static IResult UnknownApp(string app) => Results.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "Unknown app", detail: $"No data has arrived for app '{Truncate(app)}'.");

    private static IResult UnknownDyno(string app, string dyno) => Results.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "Unknown dyno", detail: $"App '{Truncate(app)}' has no dyno named '{Truncate(dyno)}'.");

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
