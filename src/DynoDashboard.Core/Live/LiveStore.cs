using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Live;

/// <summary>
/// The bounded in-memory store of live data per app and dyno: runtime samples, 10-s router rollups,
/// events and recent lines. A singleton in the host. One writer (the ingestion service, through
/// <see cref="GetWriter"/>), many readers; every read returns a copy made under a short per-app lock.
/// Memory is bounded whatever the input: every buffer has a capacity from <see cref="LiveStoreOptions"/>,
/// and when <see cref="LiveStoreOptions.MaxApps"/> or <see cref="LiveStoreOptions.MaxDynosPerApp"/> is
/// reached the least recently seen app or dyno is evicted (and counted in <see cref="GetCounters"/>).
/// </summary>
public sealed partial class LiveStore
{
    private readonly LiveStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _appsLock = new();
    private readonly Dictionary<string, AppState> _apps = new(StringComparer.Ordinal);
    private long _appsEvicted;

    public LiveStore(LiveStoreOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        // A private copy: the host's options object could be changed after start-up; capacities can't.
        _options = new LiveStoreOptions
        {
            RuntimeSamplesPerDyno = options.RuntimeSamplesPerDyno,
            RollupBucketsPerDyno = options.RollupBucketsPerDyno,
            EventsPerApp = options.EventsPerApp,
            RecentLinesPerApp = options.RecentLinesPerApp,
            MaxDynosPerApp = options.MaxDynosPerApp,
            MaxApps = options.MaxApps,
        };
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The sink that files the parser's lines under <paramref name="app"/>, creating the app if needed. Ask per
    /// batch rather than caching it: a writer of an app that was evicted keeps writing into a detached state.
    /// </summary>
    public IHerokuLineSink GetWriter(string app) => GetWriter(app, shedPlainLines: false);

    /// <summary>
    /// As <see cref="GetWriter(string)"/>; with <paramref name="shedPlainLines"/> the writer keeps no recent line for
    /// plain router and app lines (<see cref="LineShedding"/>), while every count, sample and event is applied in full.
    /// </summary>
    public IHerokuLineSink GetWriter(string app, bool shedPlainLines)
    {
        ArgumentException.ThrowIfNullOrEmpty(app);
        lock (_appsLock)
        {
            if (!_apps.TryGetValue(app, out var state))
            {
                if (_apps.Count >= _options.MaxApps)
                {
                    EvictLeastRecentlySeenApp();
                }

                state = new AppState(app, _options, _time);
                _apps.Add(app, state);
            }

            return shedPlainLines ? state.Shedding : state;
        }
    }

    /// <summary>Every app, sorted by name.</summary>
    public IReadOnlyList<AppSummary> GetApps()
    {
        var apps = Apps();
        var result = new List<AppSummary>(apps.Length);
        foreach (var app in apps)
        {
            var (lastSeen, dynos) = app.Summary();
            result.Add(new AppSummary(app.Name, dynos, lastSeen));
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>The app's dynos in <see cref="DynoName"/> order; null for an unknown app.</summary>
    public IReadOnlyList<DynoSnapshot>? GetDynos(string app) => Find(app)?.Dynos();

    /// <summary>
    /// The non-missing values of <paramref name="metric"/> between <paramref name="from"/> and <paramref name="to"/>
    /// (inclusive), oldest first; null for an unknown app or dyno.
    /// </summary>
    public IReadOnlyList<SeriesPoint>? GetSeries(
        string app, DynoName dyno, RuntimeMetric metric, DateTimeOffset from, DateTimeOffset to) =>
        Find(app)?.Series(dyno, metric, from, to);

    /// <summary>
    /// Up to <paramref name="limit"/> events, newest (last arrived) first, optionally of one dyno and one code
    /// (<c>H12</c>, <c>R14</c>, any case); <see cref="DynoName.NoDyno"/> selects app-wide events. Null for an unknown app.
    /// </summary>
    public IReadOnlyList<DynoEvent>? GetEvents(string app, DynoName? dyno, string? code, int limit) =>
        Find(app)?.Events(dyno, code, limit);

    /// <summary>
    /// Events filed after the <paramref name="after"/>-th event of the app (0: from the start), at most the newest
    /// <paramref name="limit"/> of those the buffer still holds, oldest first; null for an unknown app. Numbering by
    /// arrival, not by time, lets a live reader send each event once even when several share a timestamp or arrive late.
    /// </summary>
    public NewEvents? GetEventsAfter(string app, long after, int limit) => Find(app)?.EventsAfter(after, limit);

    /// <summary>
    /// The newest <paramref name="limit"/> runtime samples of the dyno at or after <paramref name="from"/>, oldest
    /// first (whole samples, for a live reader that sends each one); null for an unknown app or dyno.
    /// </summary>
    public IReadOnlyList<RuntimeSample>? GetSamples(string app, DynoName dyno, DateTimeOffset from, int limit) =>
        Find(app)?.Samples(dyno, from, limit);

    /// <summary>
    /// The dyno's 10-s rollups overlapping [<paramref name="from"/>, <paramref name="to"/>], oldest first; null for an
    /// unknown app or dyno. Combine them with <see cref="RouterRollupSnapshot.Merge"/>.
    /// </summary>
    public IReadOnlyList<RouterRollupSnapshot>? GetRollups(
        string app, DynoName dyno, DateTimeOffset from, DateTimeOffset to) =>
        Find(app)?.Rollups(dyno, from, to);

    /// <summary>Up to <paramref name="limit"/> recent lines, newest first; null for an unknown app.</summary>
    public IReadOnlyList<LogLine>? GetRecentLines(string app, int limit) => Find(app)?.RecentLines(limit);

    /// <summary>Whether the app's line buffer no longer holds every line it received before its oldest one
    /// (evicted, past the text budget, or seeded after a restart); false for an unknown app.</summary>
    public bool HasLostLines(string app) => Find(app)?.LinesLost ?? false;

    /// <summary>The time span of the dyno's runtime samples held live (the history layer reads older data from disk).</summary>
    public (DateTimeOffset? Oldest, DateTimeOffset? Newest) GetRuntimeCoverage(string app, DynoName dyno) =>
        Find(app)?.Coverage(dyno) ?? (null, null);

    /// <summary>What the store holds and what it has dropped to stay bounded.</summary>
    public LiveStoreCounters GetCounters()
    {
        var apps = Apps();
        long appsEvicted;
        lock (_appsLock)
        {
            appsEvicted = _appsEvicted;
        }

        int dynos = 0;
        long dynosEvicted = 0, lateSamples = 0, lateRequests = 0;
        foreach (var app in apps)
        {
            dynos += app.Summary().Dynos;
            var drops = app.Drops();
            dynosEvicted += drops.DynosEvicted;
            lateSamples += drops.LateSamples;
            lateRequests += drops.LateRequests;
        }

        return new LiveStoreCounters(apps.Length, dynos, appsEvicted, dynosEvicted, lateSamples, lateRequests);
    }

    internal LiveAppFootprint? GetFootprint(string app) => Find(app)?.Footprint();

    private AppState? Find(string app)
    {
        lock (_appsLock)
        {
            return _apps.GetValueOrDefault(app);
        }
    }

    private AppState[] Apps()
    {
        lock (_appsLock)
        {
            return [.. _apps.Values];
        }
    }

    private void EvictLeastRecentlySeenApp()
    {
        // Lock order is always store, then app; the writer never takes the store lock while holding an app's.
        AppState? oldest = null;
        DateTimeOffset? oldestSeen = null;
        foreach (var app in _apps.Values)
        {
            var (lastSeen, _) = app.Summary();
            if (oldest is null || lastSeen < oldestSeen || (lastSeen is null && oldestSeen is not null))
            {
                oldest = app;
                oldestSeen = lastSeen;
            }
        }

        if (oldest is not null)
        {
            _apps.Remove(oldest.Name);
            _appsEvicted++;
        }
    }
}
