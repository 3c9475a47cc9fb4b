using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Analysis;

/// <summary>One signal on which a dyno stands apart from its siblings.</summary>
public sealed record OutlyingSignal(string Name, double Value, double SiblingMedian, string Unit);

/// <summary>A dyno and the signals on which it is an outlier among the dynos of its process type.</summary>
public sealed record DynoOutlierScore(DynoName Dyno, IReadOnlyList<OutlyingSignal> Signals);

/// <summary>
/// Scores each dyno against its siblings (the other dynos of its process type) with a robust z-score: the
/// distance from the siblings' median in units of their median absolute deviation. Only "worse" counts
/// (slower, more errors, more swap). Each signal also needs an absolute excess, so that five identical dynos
/// and a sixth 2 ms slower do not make an insight: MAD is zero there, and a floor on the spread stands in.
/// The dyno itself is left out of its own baseline, so two dynos can still be compared.
/// </summary>
public static class SiblingOutliers
{
    /// <summary>Iglewicz and Hoaglin's cut-off for the modified z-score.</summary>
    public const double ZThreshold = 3.5;

    /// <summary>Fewer requests than this in the window make rates and percentiles too noisy to compare.</summary>
    public const int MinRequests = 20;

    // Scaled MAD ≈ standard deviation for normal data.
    private const double MadScale = 1.4826;

    private static readonly Rule s_p95 = new("p95 service time", "ms", SpreadFloor: 50, MinExcess: 250, MinRatio: 1.5);
    private static readonly Rule s_5xx = new("5xx rate", "%", SpreadFloor: 0.5, MinExcess: 2, MinRatio: 2);
    private static readonly Rule s_swap = new("swap", "MB", SpreadFloor: 5, MinExcess: 20, MinRatio: 1);
    private static readonly Rule s_memory = new("memory of quota", "%", SpreadFloor: 5, MinExcess: 15, MinRatio: 1);
    private static readonly Rule s_load = new("load 1m", "load", SpreadFloor: 0.2, MinExcess: 0.75, MinRatio: 2);

    /// <summary>Scores every dyno of every process type with at least two dynos; returns only dynos with an outlying signal.</summary>
    public static IReadOnlyList<DynoOutlierScore> Score(IReadOnlyList<DynoSignals> dynos)
    {
        ArgumentNullException.ThrowIfNull(dynos);
        var result = new List<DynoOutlierScore>();
        foreach (var group in dynos.GroupBy(d => d.ProcessType, StringComparer.Ordinal))
        {
            var members = group.ToList();
            if (members.Count < 2)
            {
                continue;
            }

            var codes = members.SelectMany(d => d.ErrorsByCode.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var dyno in members)
            {
                var siblings = members.Where(d => d.Dyno != dyno.Dyno).ToList();
                var signals = new List<OutlyingSignal>();
                Check(s_p95, dyno, siblings, d => d.Requests >= MinRequests ? d.P95ServiceMs : null, signals);
                foreach (var code in codes)
                {
                    var rule = new Rule($"{code} rate", "%", SpreadFloor: 0.5, MinExcess: 2, MinRatio: 2);
                    Check(rule, dyno, siblings, d => Rate(d, d.ErrorsByCode.GetValueOrDefault(code)), signals,
                        minCount: dyno.ErrorsByCode.GetValueOrDefault(code) >= 3);
                }

                Check(s_5xx, dyno, siblings, d => Rate(d, d.Status5xx), signals, minCount: dyno.Status5xx >= 3);
                Check(s_swap, dyno, siblings, d => d.SwapMb, signals);
                Check(s_memory, dyno, siblings, d => d.MemoryOfQuotaPercent, signals);
                Check(s_load, dyno, siblings, d => d.Load1m, signals);
                if (signals.Count > 0)
                {
                    result.Add(new DynoOutlierScore(dyno.Dyno, signals));
                }
            }
        }

        return result;
    }

    /// <summary>The median of <paramref name="values"/> (which must not be empty).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double? Rate(DynoSignals dyno, int count) =>
        dyno.Requests >= MinRequests ? 100.0 * count / dyno.Requests : null;

    private static void Check(Rule rule, DynoSignals dyno, List<DynoSignals> siblings, Func<DynoSignals, double?> select,
        List<OutlyingSignal> signals, bool minCount = true)
    {
        if (!minCount || select(dyno) is not { } value)
        {
            return;
        }

        var baseline = siblings.Select(select).OfType<double>().ToList();
        if (baseline.Count == 0)
        {
            return;
        }

        var median = Median(baseline);
        var mad = Median(baseline.Select(v => Math.Abs(v - median)).ToList());
        var spread = Math.Max(MadScale * mad, rule.SpreadFloor);
        var excess = value - median;
        if (excess >= rule.MinExcess && excess / spread >= ZThreshold && value >= rule.MinRatio * median)
        {
            signals.Add(new OutlyingSignal(rule.Name, value, median, rule.Unit));
        }
    }

    /// <summary>How far above its siblings a signal must be: a floor on the spread, an absolute excess and a ratio.</summary>
    private sealed record Rule(string Name, string Unit, double SpreadFloor, double MinExcess, double MinRatio);
}
