using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using Microsoft.AspNetCore.SignalR;

namespace DynoDashboard.Web.Api;

/// <summary>One round of hub messages for an app: what changed since the previous round.</summary>
public sealed record LiveUpdate(
    string App,
    IReadOnlyList<DynoResponse> Samples,
    IReadOnlyList<RollupResponse> Rollups,
    IReadOnlyList<EventResponse> Events);

/// <summary>A dyno's newest 10-s router rollup (it keeps filling until the next one starts).</summary>
public sealed record RollupResponse(
    string Dyno,
    DateTimeOffset Start,
    DateTimeOffset End,
    int Requests,
    int S2xx,
    int S3xx,
    int S4xx,
    int S5xx,
    int Errors,
    IReadOnlyDictionary<string, int> ErrorsByCode,
    double? P50ServiceMs,
    double? P95ServiceMs,
    double? P99ServiceMs)
{
    public static RollupResponse From(DynoName dyno, RouterRollupSnapshot r) => new(
        dyno.Value, r.Start, r.End, r.Requests, r.StatusClasses.S2xx, r.StatusClasses.S3xx, r.StatusClasses.S4xx,
        r.StatusClasses.S5xx, r.Errors, r.ErrorsByCode, Ms(r, 50), Ms(r, 95), Ms(r, 99));

    private static double? Ms(RouterRollupSnapshot r, double percentile) =>
        r.Service.Count == 0 ? null : r.Service.Percentile(percentile);
}

/// <summary>
/// Remembers what one audience of an app has been sent, so each round carries only news: dynos with a newer sample,
/// rollups that grew, events after the last one sent. Not thread-safe: the feed runs one callback at a time.
/// </summary>
internal sealed class LiveUpdateCursor
{
    /// <summary>A new subscriber gets the latest events, not the whole buffer.</summary>
    private const int FirstEvents = 20;

    /// <summary>Later rounds read this many newest events and send those after the last one sent (a round is 250 ms).</summary>
    private const int RoundEvents = 1_000;

    private readonly Dictionary<DynoName, DateTimeOffset> _sampleTimes = [];
    private readonly Dictionary<DynoName, (DateTimeOffset Start, int Requests)> _rollups = [];
    private DateTimeOffset? _lastEvent;
    private bool _started;

    public LiveUpdate Next(LiveStore store, string app)
    {
        var dynos = store.GetDynos(app) ?? [];
        var samples = new List<DynoResponse>();
        var rollups = new List<RollupResponse>();
        foreach (var dyno in dynos)
        {
            if (dyno.Latest is { } latest && (!_sampleTimes.TryGetValue(dyno.Name, out var sent) || latest.Time > sent))
            {
                _sampleTimes[dyno.Name] = latest.Time;
                samples.Add(DynoResponse.From(dyno));
            }

            if (dyno.LastSeen is { } seen
                && store.GetRollups(app, dyno.Name, seen, seen) is [.., var newest]
                && (!_rollups.TryGetValue(dyno.Name, out var last) || last != (newest.Start, newest.Requests)))
            {
                _rollups[dyno.Name] = (newest.Start, newest.Requests);
                rollups.Add(RollupResponse.From(dyno.Name, newest));
            }
        }

        var events = (store.GetEvents(app, null, null, _started ? RoundEvents : FirstEvents) ?? [])
            .Where(e => _lastEvent is null || e.Time > _lastEvent)
            .OrderBy(e => e.Time)
            .ToList();
        if (events.Count > 0)
        {
            _lastEvent = events[^1].Time;
        }

        _started = true;

        return new LiveUpdate(app, samples, rollups, [.. events.Select(EventResponse.From)]);
    }
}

internal static class LiveUpdates
{
    /// <summary>Sends the non-empty parts of <paramref name="update"/> as <c>samples</c>, <c>rollups</c>, <c>events</c>.</summary>
    public static async Task SendAsync(IClientProxy clients, LiveUpdate update, CancellationToken cancellationToken = default)
    {
        if (update.Samples.Count > 0)
        {
            await clients.SendAsync("samples", update.App, update.Samples, cancellationToken);
        }

        if (update.Rollups.Count > 0)
        {
            await clients.SendAsync("rollups", update.App, update.Rollups, cancellationToken);
        }

        if (update.Events.Count > 0)
        {
            await clients.SendAsync("events", update.App, update.Events, cancellationToken);
        }
    }
}
