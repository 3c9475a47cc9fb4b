using System.Globalization;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DynoDashboard.Web.Analysis;

/// <summary><c>GET /api/apps/{app}/insights</c> item.</summary>
public sealed record InsightResponse(string Dyno, string Kind, DateTimeOffset Since, string Summary, IReadOnlyList<InsightSignalResponse> Signals);

public sealed record InsightSignalResponse(string Name, double Value, double? SiblingMedian);

public static class InsightEndpoints
{
    /// <summary>Below this many minutes to the quota a memory trend becomes an insight.</summary>
    private const double HeadroomWarningMinutes = 60;

    public static IServiceCollection AddDynoInsights(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new InsightBoard());
        services.AddHostedService<InsightEvaluator>();
        return services;
    }

    public static IEndpointRouteBuilder MapInsightsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/apps/{app}/insights", (string app, LiveStore store, InsightBoard board, TimeProvider time) =>
            store.GetDynos(app) is null
                ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown app",
                    detail: $"No data has arrived for app '{(app.Length <= 64 ? app : app[..64])}'.")
                : Results.Ok(Read(store, board, app, time.GetUtcNow())))
            .WithTags("DynoDashboard")
            .WithSummary("Dynos that stand out from their siblings, swap, or near their memory quota")
            .Produces<List<InsightResponse>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    /// <summary>Sibling outliers from the board, then memory trends that need attention (swapping, or near the quota).</summary>
    public static IReadOnlyList<InsightResponse> Read(LiveStore store, InsightBoard board, string app, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(board);
        var result = board.Get(app)
            .Select(i => new InsightResponse(i.Dyno.Value, i.Kind, i.Since, i.Summary,
                [.. i.Signals.Select(s => new InsightSignalResponse(s.Name, s.Value, s.SiblingMedian))]))
            .ToList();

        var headrooms = FleetHeadroom.Read(store, app);
        foreach (var (dyno, headroom) in headrooms)
        {
            var siblings = headrooms.Where(h => h.Dyno != dyno && h.Dyno.ProcessType == dyno.ProcessType).Select(h => h.Headroom.CurrentMb).ToList();
            double? siblingMedian = siblings.Count > 0 ? SiblingOutliers.Median(siblings) : null;
            var signals = new[] { new InsightSignalResponse("memory (rss+swap) MB", Math.Round(headroom.CurrentMb, 2), siblingMedian) };
            if (headroom.SwappingSince is { } swapping)
            {
                result.Add(new InsightResponse(dyno.Value, "memory", swapping,
                    string.Create(CultureInfo.InvariantCulture, $"{dyno} swapping since {swapping:HH:mm} UTC; memory {headroom.CurrentMb:0} MB of {headroom.QuotaMb:0} MB"),
                    signals));
            }
            else if (headroom.MinutesToQuota is { } minutes && minutes <= HeadroomWarningMinutes)
            {
                result.Add(new InsightResponse(dyno.Value, "memory", now,
                    string.Create(CultureInfo.InvariantCulture, $"{dyno} reaches the memory quota in about {minutes:0} min (+{headroom.TrendMbPerMinute:0.0} MB/min)"),
                    signals));
            }
        }

        return result;
    }
}
