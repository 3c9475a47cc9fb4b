using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Analysis;

/// <summary>How completely one dyno's runtime metrics arrive: every conclusion about a dyno depends on it.</summary>
public sealed record DynoCompleteness(
    DynoName Dyno,
    string? State,
    DateTimeOffset? LastSeen,
    DateTimeOffset? LastSample,
    int SamplesReceived,
    int SamplesExpected,
    bool Silent)
{
    /// <summary>Received against expected, 0–100; null when nothing was expected yet.</summary>
    public double? CompletenessPercent => SamplesExpected > 0 ? Math.Min(100, 100.0 * SamplesReceived / SamplesExpected) : null;
}

/// <summary>An app's drain health over a window: per-dyno completeness and Logplex's own L-code errors.</summary>
public sealed record DrainHealthReport(
    DateTimeOffset? Now,
    TimeSpan Window,
    IReadOnlyList<DynoCompleteness> Dynos,
    IReadOnlyDictionary<string, int> LoggingErrors);

public static class DrainHealth
{
    /// <summary>log-runtime-metrics emits one reading (a load and a memory line) about every 20 s per running dyno.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(20);

    /// <summary>A dyno that is up but has sent no runtime sample for this long is silent (issue: "2 min while it is up").</summary>
    public static readonly TimeSpan SilenceAfter = TimeSpan.FromMinutes(2);

    /// <summary>Reads the app's drain health over the <paramref name="window"/> before its newest data. Null for an unknown app.</summary>
    public static DrainHealthReport? Read(LiveStore store, string app, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(store);
        var dynos = store.GetDynos(app);
        if (dynos is null)
        {
            return null;
        }

        DateTimeOffset? now = dynos.Count == 0 ? null : dynos.Max(d => d.LastSeen ?? DateTimeOffset.MinValue);
        var result = new List<DynoCompleteness>(dynos.Count);
        foreach (var dyno in dynos)
        {
            if (now is not { } end)
            {
                break;
            }

            var from = end - window;
            // Each merged reading is one point; memory_total is on every memory line of every format since 2013.
            var samples = store.GetSeries(app, dyno.Name, RuntimeMetric.MemoryTotal, from, end.AddTicks(1)) ?? [];
            var (_, newestSample) = store.GetRuntimeCoverage(app, dyno.Name);

            // Expect samples only from when the dyno (this incarnation or the window, whichever is later) existed.
            var expectFrom = dyno.IncarnationSince is { } since && since > from ? since : from;
            var expected = (int)Math.Floor((end - expectFrom) / SampleInterval);
            var up = dyno.State is null or "up";
            var silent = up && (newestSample is null ? expected >= 6 : end - newestSample.Value > SilenceAfter);
            result.Add(new DynoCompleteness(dyno.Name, dyno.State, dyno.LastSeen, newestSample, samples.Count,
                Math.Max(expected, 0), silent));
        }

        var loggingErrors = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in store.GetEvents(app, null, null, int.MaxValue) ?? [])
        {
            if (e.Kind == DynoEventKind.LogplexError && (now is null || e.Time >= now - window))
            {
                var code = e.Code?.Code ?? "L??";
                loggingErrors[code] = loggingErrors.GetValueOrDefault(code) + 1;
            }
        }

        return new DrainHealthReport(now, window, result, loggingErrors);
    }
}
