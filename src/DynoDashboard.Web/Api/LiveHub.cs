using DynoDashboard.Web.Ingestion;
using Microsoft.AspNetCore.SignalR;

namespace DynoDashboard.Web.Api;

/// <summary>
/// <c>/hubs/live</c>: live updates for external clients (our own pages read the store in-process). A client calls
/// <see cref="Subscribe"/> with an app name and then receives <c>samples</c>, <c>rollups</c> and <c>events</c>
/// messages (<see cref="LiveUpdate"/>), coalesced to at most one round every 250 ms per app.
/// </summary>
public sealed class LiveHub(LiveHubSubscriptions subscriptions) : Hub
{
    public const string Path = "/hubs/live";

    /// <summary>Starts the app's updates for this connection; the current state arrives at once.</summary>
    public async Task Subscribe(string app)
    {
        if (!AppName.IsValid(app))
        {
            throw new HubException("app must be 1–64 lowercase letters, digits and dashes.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(app));
        subscriptions.Join(Context.ConnectionId, app);
        await LiveUpdates.SendAsync(Clients.Caller, subscriptions.Snapshot(app));
    }

    public async Task Unsubscribe(string app)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(app));
        subscriptions.Leave(Context.ConnectionId, app);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.LeaveAll(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    internal static string GroupOf(string app) => "app:" + app;
}
