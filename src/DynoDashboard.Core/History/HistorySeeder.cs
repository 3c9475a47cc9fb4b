using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.History;

/// <summary>
/// Refills the live store from history at start-up, so that a restart does not blank the dashboard: the last
/// 24 h of samples, the last hour of rollups (the live store's windows), and each app's newest events and lines.
/// Windows are counted back from the newest stored data, not the wall clock, as the live store does.
/// </summary>
public static class HistorySeeder
{
    private static readonly TimeSpan s_samplesWindow = TimeSpan.FromHours(24);

    public static SeedCounts Seed(IHistoryStore history, LiveStore live, LiveStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(options);
        var (newestSamples, newestRollups) = history.GetNewest();
        long samples = 0, rollups = 0, events = 0, lines = 0;
        if (newestSamples is { } s)
        {
            foreach (var stored in history.ReadSamples(s - s_samplesWindow))
            {
                live.SeedSample(stored.App, stored.Dyno, stored.Sample, stored.Incarnation);
                samples++;
            }
        }

        if (newestRollups is { } r)
        {
            var window = TimeSpan.FromSeconds((double)LiveStoreOptions.RollupBucketSeconds * options.RollupBucketsPerDyno);
            foreach (var stored in history.ReadRollups(r - window))
            {
                live.SeedRollup(stored.App, stored.Dyno, stored.Rollup, stored.LastRequest);
                rollups++;
            }
        }

        foreach (var app in history.GetApps())
        {
            // Listed even when nothing of it falls in the windows above (a quiet app whose last data is days old):
            // an app is in history until its own retention ends, and the home page lists the live store's apps.
            live.SeedApp(app);
            // Oldest first, events and lines interleaved by time, so the buffers end up in arrival order.
            var storedEvents = history.GetEvents(app, null, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, options.EventsPerApp);
            var storedLines = history.GetLines(app, options.RecentLinesPerApp);
            int e = storedEvents.Count - 1, l = storedLines.Count - 1;
            while (e >= 0 || l >= 0)
            {
                if (l < 0 || (e >= 0 && storedEvents[e].Time <= storedLines[l].Time))
                {
                    live.SeedEvent(app, storedEvents[e--]);
                    events++;
                }
                else
                {
                    live.SeedLine(app, storedLines[l--]);
                    lines++;
                }
            }
        }

        return new SeedCounts(samples, rollups, events, lines);
    }
}

/// <summary>What re-seeding put back into the live store.</summary>
public readonly record struct SeedCounts(long Samples, long Rollups, long Events, long Lines);
