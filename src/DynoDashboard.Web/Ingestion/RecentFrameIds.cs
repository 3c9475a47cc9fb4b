using System.Collections.Concurrent;
using DynoDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// The last N <c>Logplex-Frame-Id</c>s per app. Logplex retries a batch with the same id after a timeout or
/// a 5xx, so a repeated id means "already have it". Bounded: the oldest id is forgotten first.
/// </summary>
public sealed class RecentFrameIds(IOptions<IngestOptions> options)
{
    /// <summary>Apps remembered at once. Far above a team's app count; it only stops a flood of names growing memory.</summary>
    internal const int MaxApps = 1_000;

    private readonly int _capacity = options.Value.RecentFrameIdsPerApp;
    private readonly ConcurrentDictionary<string, AppFrameIds> _apps = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _appOrder = new();

    internal int AppCount => _apps.Count;

    /// <summary>Remembers the id; false when it was already there (a retry).</summary>
    public bool TryAdd(string app, string frameId)
    {
        if (_capacity == 0)
        {
            return true;
        }

        if (!_apps.TryGetValue(app, out var ids))
        {
            ids = _apps.GetOrAdd(app, name =>
            {
                _appOrder.Enqueue(name);
                return new AppFrameIds(_capacity);
            });
            // Forget the oldest app first; a retry for it would then be processed twice, which beats unbounded memory.
            while (_apps.Count > MaxApps && _appOrder.TryDequeue(out var oldest))
            {
                _apps.TryRemove(oldest, out _);
            }
        }

        return ids.TryAdd(frameId);
    }

    /// <summary>Forgets an id whose batch could not be queued, so that Logplex's retry is accepted.</summary>
    public void Remove(string app, string frameId)
    {
        if (_apps.TryGetValue(app, out var ids))
        {
            ids.Remove(frameId);
        }
    }

    private sealed class AppFrameIds(int capacity)
    {
        private readonly Lock _lock = new();
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        public bool TryAdd(string frameId)
        {
            lock (_lock)
            {
                if (!_ids.Add(frameId))
                {
                    return false;
                }

                _order.Enqueue(frameId);
                while (_order.Count > capacity)
                {
                    _ids.Remove(_order.Dequeue());
                }

                return true;
            }
        }

        public void Remove(string frameId)
        {
            lock (_lock)
            {
                // The queue keeps a stale entry until it ages out; removing from the set is what matters.
                _ids.Remove(frameId);
            }
        }
    }
}
