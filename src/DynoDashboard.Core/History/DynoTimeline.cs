using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.History;

/// <summary>
/// Answers series and event queries over any range: from the live store when it covers the range, from history
/// for the part before it, stitched so that callers cannot tell. Series are cut to a point budget with
/// <see cref="SeriesDownsampler"/>.
/// </summary>
public sealed class DynoTimeline(LiveStore live, IHistoryStore history, LiveStoreOptions options)
{
    /// <summary>About one point per pixel of a wide chart.</summary>
    public const int DefaultMaxPoints = 1_000;

    /// <summary>True when the app is live or has anything stored.</summary>
    public bool KnowsApp(string app) =>
        live.GetDynos(app) is not null || history.GetApps().Contains(app, StringComparer.Ordinal);

    /// <summary>True when the dyno is live or has samples or rollups stored.</summary>
    public bool KnowsDyno(string app, DynoName dyno) =>
        live.GetDynos(app)?.Any(d => d.Name == dyno) == true || history.HasDyno(app, dyno);

    /// <summary>
    /// The metric's points in [<paramref name="from"/>, <paramref name="to"/>] (open ends mean "all there is"), at
    /// most <paramref name="maxPoints"/> of them; null when neither the live store nor history knows the dyno.
    /// </summary>
    public IReadOnlyList<SeriesPoint>? GetSeries(string app, DynoName dyno, RuntimeMetric metric,
        DateTimeOffset? from, DateTimeOffset? to, int maxPoints = DefaultMaxPoints)
    {
        var start = from ?? DateTimeOffset.MinValue;
        var end = to ?? DateTimeOffset.MaxValue;
        var livePoints = live.GetSeries(app, dyno, metric, start, end);
        var (liveOldest, _) = live.GetRuntimeCoverage(app, dyno);
        if (livePoints is not null && liveOldest is { } covered && from is { } f && covered <= f)
        {
            return SeriesDownsampler.Downsample(livePoints, maxPoints);
        }

        // History answers only the part the live buffer no longer (or not yet) holds: no duplicates at the seam.
        var historyEnd = liveOldest is { } oldest && oldest.UtcTicks > 0 && oldest.AddTicks(-1) < end ? oldest.AddTicks(-1) : end;
        var stored = history.GetSeries(app, dyno, metric, start, historyEnd);
        if (livePoints is null && stored.Count == 0 && !history.HasDyno(app, dyno))
        {
            return null;
        }

        if (livePoints is null or { Count: 0 })
        {
            return SeriesDownsampler.Downsample(stored, maxPoints);
        }

        var all = new List<SeriesPoint>(stored.Count + livePoints.Count);
        all.AddRange(stored);
        all.AddRange(livePoints);
        return SeriesDownsampler.Downsample(all, maxPoints);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> events in [<paramref name="from"/>, <paramref name="to"/>], newest first: the live
    /// buffer for everything from its oldest event on, history for what is older.
    /// </summary>
    public IReadOnlyList<DynoEvent> GetEvents(string app, DynoName? dyno, string? code,
        DateTimeOffset? from, DateTimeOffset? to, int limit)
    {
        var start = from ?? DateTimeOffset.MinValue;
        var end = to ?? DateTimeOffset.MaxValue;
        var result = (live.GetEvents(app, dyno, code, options.EventsPerApp) ?? [])
            .Where(e => e.Time >= start && e.Time <= end)
            .Take(limit)
            .ToList();
        if (result.Count < limit)
        {
            var before = end == DateTimeOffset.MaxValue ? end : end.AddTicks(1);
            if (live.GetOldestEventTime(app) is { } oldest && oldest < before)
            {
                before = oldest;
            }

            result.AddRange(history.GetEvents(app, dyno, code, start, before, limit - result.Count));
        }

        return result;
    }
}
