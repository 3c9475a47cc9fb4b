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
    private readonly int _capacity = options.Value.RecentFrameIdsPerApp;
    private readonly ConcurrentDictionary<string, AppFrameIds> _apps = new(StringComparer.Ordinal);

    /// <summary>Remembers the id; false when it was already there (a retry).</summary>
    public bool TryAdd(string app, string frameId) =>
        _capacity == 0 || _apps.GetOrAdd(app, _ => new AppFrameIds(_capacity)).TryAdd(frameId);

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
