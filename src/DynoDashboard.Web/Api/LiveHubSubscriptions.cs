using DynoDashboard.Core.Live;
using Microsoft.AspNetCore.SignalR;

namespace DynoDashboard.Web.Api;

/// <summary>
/// Which hub connections watch which app. The first watcher of an app subscribes it on the <see cref="LiveFeed"/>
/// (so the hub inherits the feed's 250-ms coalescing); the last one to leave ends that subscription. Each round
/// goes to the app's SignalR group once, whatever the number of watchers.
/// </summary>
public sealed class LiveHubSubscriptions(LiveStore store, LiveFeed feed, IHubContext<LiveHub> hub) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AppWatch> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _connections = new(StringComparer.Ordinal);

    internal int WatchedApps
    {
        get
        {
            lock (_lock)
            {
                return _apps.Count;
            }
        }
    }

    public void Join(string connectionId, string app)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out var apps))
            {
                _connections[connectionId] = apps = new HashSet<string>(StringComparer.Ordinal);
            }

            if (!apps.Add(app))
            {
                return;
            }

            if (!_apps.TryGetValue(app, out var watch))
            {
                watch = new AppWatch();
                // Start the shared cursor at "now": watchers got the current state from Snapshot already.
                watch.Cursor.Next(store, app);
                watch.Subscription = feed.Subscribe(app, () => PushAsync(app, watch));
                _apps[app] = watch;
            }

            watch.Watchers++;
        }
    }

    public void Leave(string connectionId, string app)
    {
        lock (_lock)
        {
            if (_connections.TryGetValue(connectionId, out var apps) && apps.Remove(app))
            {
                Release(app);
                if (apps.Count == 0)
                {
                    _connections.Remove(connectionId);
                }
            }
        }
    }

    public void LeaveAll(string connectionId)
    {
        lock (_lock)
        {
            if (_connections.Remove(connectionId, out var apps))
            {
                foreach (var app in apps)
                {
                    Release(app);
                }
            }
        }
    }

    /// <summary>The app's current state, for a client that just subscribed.</summary>
    public LiveUpdate Snapshot(string app) => new LiveUpdateCursor().Next(store, app);

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var watch in _apps.Values)
            {
                watch.Subscription?.Dispose();
            }

            _apps.Clear();
            _connections.Clear();
        }
    }

    private void Release(string app)
    {
        if (_apps.TryGetValue(app, out var watch) && --watch.Watchers == 0)
        {
            watch.Subscription?.Dispose();
            _apps.Remove(app);
        }
    }

    private Task PushAsync(string app, AppWatch watch) =>
        LiveUpdates.SendAsync(hub.Clients.Group(LiveHub.GroupOf(app)), watch.Cursor.Next(store, app));

    private sealed class AppWatch
    {
        public LiveUpdateCursor Cursor { get; } = new();

        public IDisposable? Subscription { get; set; }

        public int Watchers { get; set; }
    }
}
