using System.Globalization;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Analysis;

/// <summary>
/// Keeps, per app, which dynos have been sibling outliers and since when, and the current insights. A dyno
/// becomes an insight once it has been an outlier on at least <see cref="MinSignals"/> signals for at least
/// <see cref="Persistence"/> of data time: one bad minute is noise, three in a row is a sick dyno.
/// Thread-safe: one evaluator writes, pages and the API read.
/// </summary>
public sealed class InsightBoard
{
    public const int MinSignals = 2;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, AppInsights> _apps = new(StringComparer.Ordinal);

    public InsightBoard(TimeSpan? persistence = null)
    {
        Persistence = persistence ?? TimeSpan.FromMinutes(3);
    }

    public TimeSpan Persistence { get; }

    /// <summary>Drops one app's insights (the app was deleted or renamed; a renamed app is scored afresh).</summary>
    public void ForgetApp(string app)
    {
        lock (_lock)
        {
            _apps.Remove(app);
        }
    }

    /// <summary>Scores <paramref name="dynos"/> at data time <paramref name="now"/> and updates the app's insights.</summary>
    public IReadOnlyList<Insight> Evaluate(string app, DateTimeOffset now, IReadOnlyList<DynoSignals> dynos)
    {
        ArgumentNullException.ThrowIfNull(dynos);
        var scores = SiblingOutliers.Score(dynos);
        lock (_lock)
        {
            if (!_apps.TryGetValue(app, out var state))
            {
                state = new AppInsights();
                _apps.Add(app, state);
            }

            var outlying = scores.Where(s => s.Signals.Count >= MinSignals).ToDictionary(s => s.Dyno);
            foreach (var gone in state.Since.Keys.Where(d => !outlying.ContainsKey(d)).ToList())
            {
                state.Since.Remove(gone);
            }

            var insights = new List<Insight>();
            foreach (var (dyno, score) in outlying)
            {
                if (!state.Since.TryGetValue(dyno, out var since) || since > now)
                {
                    since = now;
                    state.Since[dyno] = now;
                }

                if (now - since >= Persistence)
                {
                    insights.Add(new Insight(dyno, Insight.OutlierKind, since, Summarise(dyno, score, dynos), score.Signals));
                }
            }

            insights.Sort((a, b) => a.Dyno.CompareTo(b.Dyno));
            state.Current = insights;
            return insights;
        }
    }

    /// <summary>The app's current insights (empty for an unknown app).</summary>
    public IReadOnlyList<Insight> Get(string app)
    {
        lock (_lock)
        {
            return _apps.TryGetValue(app, out var state) ? state.Current : [];
        }
    }

    /// <summary>Forgets an app (renamed or deleted).</summary>
    public void Remove(string app)
    {
        lock (_lock)
        {
            _apps.Remove(app);
        }
    }

    /// <summary>"web.2 served 24 % of requests but had 92 % of the H12s; swapping 180 MB; p95 8,200 ms (siblings 120 ms)".</summary>
    internal static string Summarise(DynoName dyno, DynoOutlierScore score, IReadOnlyList<DynoSignals> dynos)
    {
        var inv = CultureInfo.InvariantCulture;
        var me = dynos.First(d => d.Dyno == dyno);
        var siblings = dynos.Where(d => string.Equals(d.ProcessType, me.ProcessType, StringComparison.Ordinal)).ToList();
        var parts = new List<string>();

        // The error code with the most of this dyno's errors tells the story best: its share against the share of traffic.
        var worstCode = score.Signals
            .Where(s => s.Name.EndsWith(" rate", StringComparison.Ordinal) && s.Name.Length == 8)
            .Select(s => s.Name[..3])
            .OrderByDescending(code => me.ErrorsByCode.GetValueOrDefault(code))
            .FirstOrDefault();
        var totalRequests = siblings.Sum(d => d.Requests);
        if (worstCode is not null && totalRequests > 0)
        {
            var totalCode = siblings.Sum(d => d.ErrorsByCode.GetValueOrDefault(worstCode));
            parts.Add(string.Format(inv, "{0} served {1:0} % of requests but had {2:0} % of the {3}s",
                dyno, 100.0 * me.Requests / totalRequests, 100.0 * me.ErrorsByCode.GetValueOrDefault(worstCode) / Math.Max(totalCode, 1), worstCode));
        }
        else
        {
            parts.Add(string.Format(inv, "{0} stands apart from its {1} siblings", dyno, siblings.Count - 1));
        }

        foreach (var signal in score.Signals.Where(s => !(s.Name.EndsWith(" rate", StringComparison.Ordinal) && s.Name.Length == 8)))
        {
            parts.Add(signal.Name switch
            {
                "swap" => string.Format(inv, "swapping {0:0} MB", signal.Value),
                "memory of quota" => string.Format(inv, "memory at {0:0} % of quota (siblings {1:0} %)", signal.Value, signal.SiblingMedian),
                "p95 service time" => string.Format(inv, "p95 {0:N0} ms (siblings {1:N0} ms)", signal.Value, signal.SiblingMedian),
                "load 1m" => string.Format(inv, "load {0:0.00} (siblings {1:0.00})", signal.Value, signal.SiblingMedian),
                "5xx rate" => string.Format(inv, "{0:0.#} % 5xx (siblings {1:0.#} %)", signal.Value, signal.SiblingMedian),
                _ => string.Format(inv, "{0} {1:0.##} {2} (siblings {3:0.##})", signal.Name, signal.Value, signal.Unit, signal.SiblingMedian),
            });
        }

        return string.Join("; ", parts);
    }

    private sealed class AppInsights
    {
        public Dictionary<DynoName, DateTimeOffset> Since { get; } = [];

        public IReadOnlyList<Insight> Current { get; set; } = [];
    }
}
