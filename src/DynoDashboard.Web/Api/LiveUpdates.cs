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

/// <summary>A dyno's 10-s router rollup as it stands (the newest keeps filling until the next one starts).</summary>
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
/// Remembers what one audience of an app has been sent, so each round carries only news, and all of it: every sample
/// newer than the last one sent per dyno (oldest first; one dyno can appear several times in a <c>samples</c> message,
/// told apart by <see cref="DynoResponse.SampleTime"/>), a sample again when its other half merged into it, every
/// rollup that started or grew since the last one sent per dyno, and every event filed since the last one sent.
/// The first round (a new subscriber) is the current state only: each dyno's newest sample and rollup, the newest
/// <see cref="FirstEvents"/> events. A dyno that turns up after the first round is news in full.
/// Bounds per round: at most <see cref="RoundSamplesPerDyno"/> samples per dyno (the newest), the rollups the dyno
/// still holds (<c>LiveStore:RollupBucketsPerDyno</c>; in practice one or two) and the events the app's buffer still
/// holds (<c>LiveStore:EventsPerApp</c>). Not sent: samples or requests that arrive late, behind what was already sent
/// (the REST series and rollups have them). Not thread-safe: the feed runs one callback at a time.
/// </summary>
internal sealed class LiveUpdateCursor
{
    /// <summary>A new subscriber gets the latest events, not the whole buffer.</summary>
    private const int FirstEvents = 20;

    /// <summary>
    /// 32 samples per dyno per round: Heroku sends one per dyno every 20 s and a round comes every 250 ms, so only a
    /// replay (an uploaded <c>heroku logs</c> file) or a stalled round ever gets near it; the cap keeps such a round's
    /// message to 32 × the dynos instead of the whole ring (4,320 per dyno).
    /// </summary>
    internal const int RoundSamplesPerDyno = 32;

    private readonly Dictionary<DynoName, RuntimeSample> _samples = [];
    private readonly Dictionary<DynoName, (DateTimeOffset Start, int Requests)> _rollups = [];
    private long _events;
    private bool _started;

    public LiveUpdate Next(LiveStore store, string app)
    {
        var dynos = store.GetDynos(app) ?? [];
        var samples = new List<DynoResponse>();
        var rollups = new List<RollupResponse>();
        foreach (var dyno in dynos)
        {
            AddSamples(store, app, dyno, samples);
            AddRollups(store, app, dyno, rollups);
        }

        Forget(dynos);
        var news = store.GetEventsAfter(app, _events, _started ? int.MaxValue : FirstEvents);
        _events = news?.Newest ?? 0;
        _started = true;
        return new LiveUpdate(app, samples, rollups, [.. (news?.Events ?? []).Select(EventResponse.From)]);
    }

    /// <summary>Drops dynos the store no longer has (evicted one-off dynos), so the cursor stays as small as the app.</summary>
    private void Forget(IReadOnlyList<DynoSnapshot> dynos)
    {
        if (_samples.Count <= dynos.Count && _rollups.Count <= dynos.Count)
        {
            return;
        }

        var current = dynos.Select(d => d.Name).ToHashSet();
        foreach (var gone in _samples.Keys.Where(n => !current.Contains(n)).ToList())
        {
            _samples.Remove(gone);
        }

        foreach (var gone in _rollups.Keys.Where(n => !current.Contains(n)).ToList())
        {
            _rollups.Remove(gone);
        }
    }

    private void AddSamples(LiveStore store, string app, DynoSnapshot dyno, List<DynoResponse> into)
    {
        if (dyno.Latest is not { } latest)
        {
            return;
        }

        var known = _samples.TryGetValue(dyno.Name, out var sent);
        if (!known && !_started)
        {
            _samples[dyno.Name] = latest;
            into.Add(DynoResponse.From(dyno, latest));
            return;
        }

        if (known && latest == sent)
        {
            return; // the usual case for all but one dyno: nothing new, no copy taken
        }

        var from = known ? sent.Time : DateTimeOffset.MinValue;
        foreach (var sample in store.GetSamples(app, dyno.Name, from, RoundSamplesPerDyno) ?? [])
        {
            // The sample last sent comes back too: send it again only if the other half of its reading merged in.
            if (!known || sample.Time > sent.Time || (sample.Time == sent.Time && sample != sent))
            {
                into.Add(DynoResponse.From(dyno, sample));
                _samples[dyno.Name] = sample;
            }
        }
    }

    private void AddRollups(LiveStore store, string app, DynoSnapshot dyno, List<RollupResponse> into)
    {
        if (dyno.LastSeen is not { } seen)
        {
            return;
        }

        var known = _rollups.TryGetValue(dyno.Name, out var last);
        var from = known ? last.Start : _started ? DateTimeOffset.MinValue : seen;
        var found = store.GetRollups(app, dyno.Name, from, DateTimeOffset.MaxValue) ?? [];
        // A new audience gets each dyno's newest rollup only; later rounds every rollup that started or grew since.
        foreach (var rollup in known || _started ? found : found.TakeLast(1))
        {
            if (!known || rollup.Start > last.Start || (rollup.Start == last.Start && rollup.Requests != last.Requests))
            {
                _rollups[dyno.Name] = (rollup.Start, rollup.Requests);
                into.Add(RollupResponse.From(dyno.Name, rollup));
            }
        }
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
