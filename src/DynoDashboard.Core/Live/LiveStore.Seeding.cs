using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Live;

/// <summary>
/// Re-seeding from history at start-up (before ingestion starts), and the coverage questions the history
/// layer asks to decide whether the live store can answer a range alone.
/// </summary>
public sealed partial class LiveStore
{
    /// <summary>Lists the app (creating it empty if needed): history holds something of it.</summary>
    public void SeedApp(string app) => State(app);

    /// <summary>Adds a stored runtime sample as if it had just arrived, without a recent line.</summary>
    public void SeedSample(string app, DynoName dyno, in RuntimeSample sample, string? incarnation) =>
        State(app).SeedSample(dyno, sample, incarnation);

    /// <summary>Adds a stored 10-s rollup (<see cref="DynoName.NoDyno"/> for requests without a dyno); buckets older than the
    /// dyno's kept window are ignored. <paramref name="lastRequest"/> is the newest request time it covers.</summary>
    public void SeedRollup(string app, DynoName dyno, RouterRollupSnapshot rollup, DateTimeOffset lastRequest)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        State(app).SeedRollup(dyno, rollup, lastRequest);
    }

    /// <summary>Adds a stored event exactly as ingestion does (state, incarnation, recent line).</summary>
    public void SeedEvent(string app, DynoEvent dynoEvent) => State(app).OnDynoEvent(dynoEvent);

    /// <summary>Adds a stored line to the recent-lines buffer.</summary>
    public void SeedLine(string app, LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        State(app).SeedLine(line);
    }

    /// <summary>
    /// The earliest event time held live for <paramref name="app"/>: events at or after it are all live, older ones
    /// may only be in history. Null for an unknown app or one without events.
    /// </summary>
    public DateTimeOffset? GetOldestEventTime(string app) => Find(app)?.OldestEventTime();

    private AppState State(string app) => (AppState)GetWriter(app);
}
