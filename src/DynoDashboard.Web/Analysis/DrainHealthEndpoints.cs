using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Web.Ingestion;

namespace DynoDashboard.Web.Analysis;

/// <summary><c>GET /api/apps/{app}/drain-health</c>: is everything arriving?</summary>
public sealed record DrainHealthResponse(
    DateTimeOffset? Now,
    double WindowMinutes,
    long Batches,
    long DuplicateFrames,
    long CountMismatches,
    DateTimeOffset? LastBatchAt,
    IReadOnlyDictionary<string, int> LoggingErrors,
    IReadOnlyList<DynoCompletenessResponse> Dynos);

public sealed record DynoCompletenessResponse(
    string Dyno,
    string? State,
    DateTimeOffset? LastSeen,
    DateTimeOffset? LastSample,
    int SamplesReceived,
    int SamplesExpected,
    double? CompletenessPercent,
    bool Silent);

public static class DrainHealthEndpoints
{
    private const int DefaultMinutes = 15;

    public static IEndpointRouteBuilder MapDrainHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/apps/{app}/drain-health", (string app, int? minutes, LiveStore store, IngestionCounters counters) =>
        {
            if (minutes is < 1 or > 24 * 60)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid window",
                    detail: "minutes must be between 1 and 1440.");
            }

            var window = TimeSpan.FromMinutes(minutes ?? DefaultMinutes);
            if (DrainHealth.Read(store, app, window) is not { } report)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown app",
                    detail: $"No data has arrived for app '{(app.Length <= 64 ? app : app[..64])}'.");
            }

            var drain = counters.GetApp(app);
            return Results.Ok(new DrainHealthResponse(
                report.Now,
                window.TotalMinutes,
                drain?.Batches ?? 0,
                drain?.DuplicateFrames ?? 0,
                drain?.CountMismatches ?? 0,
                drain?.LastBatchAt,
                report.LoggingErrors,
                [.. report.Dynos.Select(d => new DynoCompletenessResponse(d.Dyno.Value, d.State, d.LastSeen, d.LastSample,
                    d.SamplesReceived, d.SamplesExpected, d.CompletenessPercent is { } p ? Math.Round(p, 1) : null, d.Silent))]));
        }).WithTags("DynoDashboard")
            .WithSummary("Is everything arriving? Batches, duplicates, Heroku logging errors and per-dyno sample completeness")
            .Produces<DrainHealthResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }
}
