using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Storage;

namespace DynoDashboard.Web.Api;

/// <summary>Body of <c>POST /api/apps/{app}/rename</c>.</summary>
public sealed record RenameAppRequest(string? NewName);

/// <summary>What a rename or delete did.</summary>
public sealed record AppChangeResponse(string App, string? NewName, bool Live, bool History);

/// <summary>
/// Renaming and deleting an app with its live data and its history. The Heroku drain is not touched: delete after
/// <c>heroku drains:remove</c>, or the next batch brings the app back; rename when the Heroku app was renamed, then
/// point the drain at the new name.
/// </summary>
public sealed class AppAdmin(LiveStore store, IHistoryStore history, HistoryWriter writer, LiveFeed feed,
    InsightBoard? insights = null, IngestionCounters? counters = null)
{
    // Long enough for a flush interval and a write; a failed write never catches up, so do not wait for ever.
    private static readonly TimeSpan s_catchUpTimeout = TimeSpan.FromSeconds(15);

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await writer.WhenCaughtUpAsync(cancellationToken).WaitAsync(s_catchUpTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Go on: what was not written by now (a failed write) would not be written later either.
        }
    }

    // Per-app state outside the stores is dropped, not moved: drain counters and insights start afresh under a new name.
    private void Forget(string app)
    {
        insights?.ForgetApp(app);
        counters?.ForgetApp(app);
    }

    public async Task<AppChangeResponse?> DeleteAsync(string app, CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken);
        var live = store.RemoveApp(app);
        var stored = history is IHistoryAppStore apps && history.GetApps().Contains(app) && apps.DeleteApp(app) >= 0;
        if (!live && !stored)
        {
            return null;
        }

        Forget(app);
        feed.Publish(app); // open pages re-read and find it gone
        return new AppChangeResponse(app, null, live, stored);
    }

    public async Task<(AppRenameResult Result, AppChangeResponse? Change)> RenameAsync(string app, string newName,
        CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken);
        var inHistory = history.GetApps().Contains(app);
        if (store.GetDynos(newName) is not null || history.GetApps().Contains(newName))
        {
            return (AppRenameResult.NameTaken, null);
        }

        var live = store.RenameApp(app, newName) == AppRenameResult.Renamed;
        var stored = inHistory && history is IHistoryAppStore apps && apps.RenameApp(app, newName) == AppRenameResult.Renamed;
        if (!live && !stored)
        {
            return (AppRenameResult.UnknownApp, null);
        }

        Forget(app);
        feed.Publish(app);
        feed.Publish(newName);
        return (AppRenameResult.Renamed, new AppChangeResponse(app, newName, live, stored));
    }
}

public static class AppEndpoints
{
    public static IServiceCollection AddDynoAppAdmin(this IServiceCollection services) => services.AddSingleton<AppAdmin>();

    public static IEndpointRouteBuilder MapAppAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var apps = endpoints.MapGroup("/api/apps/{app}").WithTags("DynoDashboard");

        apps.MapPost("/rename", async (string app, RenameAppRequest request, AppAdmin admin, CancellationToken cancellationToken) =>
        {
            if (!AppName.IsValid(request.NewName))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid app name",
                    detail: "newName must be 1-64 lowercase letters, digits and dashes, like a Heroku app name.");
            }

            return await admin.RenameAsync(app, request.NewName!, cancellationToken) switch
            {
                (AppRenameResult.Renamed, { } change) => Results.Ok(change),
                (AppRenameResult.NameTaken, _) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Name taken",
                    detail: $"An app named '{request.NewName}' already has data; delete it first (apps are not merged)."),
                _ => UnknownApp(app),
            };
        })
            .WithSummary("Rename an app with its live data and history (when the Heroku app was renamed)")
            .Produces<AppChangeResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        apps.MapDelete("", async (string app, AppAdmin admin, CancellationToken cancellationToken) =>
                await admin.DeleteAsync(app, cancellationToken) is { } change ? Results.Ok(change) : UnknownApp(app))
            .WithSummary("Delete an app with its live data and history; remove its Heroku drain first")
            .Produces<AppChangeResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static IResult UnknownApp(string app) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown app",
        detail: $"No data has arrived for app '{(app.Length <= 64 ? app : app[..64])}'.");
}
