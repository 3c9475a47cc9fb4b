using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Analysis;

/// <summary>What one dyno did over a comparison window: its router traffic and its runtime series.</summary>
public sealed record DynoActivity(
    DynoName Dyno,
    RouterRollupSnapshot Traffic,
    IReadOnlyList<SeriesPoint> Load1m,
    IReadOnlyList<SeriesPoint> MemoryTotal,
    IReadOnlyList<SeriesPoint> MemorySwap);

/// <summary>One row of the dyno comparison. Shares are 0–1; a missing figure is NaN.</summary>
public sealed record DynoUsage(
    DynoName Dyno,
    int Requests,
    double RequestShare,
    double RequestsPerMinute,
    double P95ServiceMs,
    int Errors,
    IReadOnlyDictionary<string, int> ErrorsByCode,
    double ErrorShare,
    double AverageLoad,
    double MaxLoad,
    double MaxMemoryMb,
    double MaxSwapMb,
    bool ErrorOutlier);

/// <summary>
/// Sibling comparison: who takes which share of the traffic and of the errors. The point is the web.2 story
/// — one dyno with a quarter of the requests and nearly all of the H12/H13s — which per-process-type averages hide.
/// </summary>
public static class DynoComparison
{
    /// <summary>Fewer errors than this are noise, whatever their share.</summary>
    public const int MinOutlierErrors = 5;

    /// <summary>The error share must be at least this many times the traffic share…</summary>
    public const double OutlierRatio = 2;

    /// <summary>…and at least this much above it (so 4 % vs 2 % of a handful of errors is not flagged).</summary>
    public const double OutlierMargin = 0.2;

    public static IReadOnlyList<DynoUsage> Compare(IReadOnlyList<DynoActivity> dynos, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(dynos);
        var totalRequests = dynos.Sum(d => d.Traffic.Requests);
        var totalErrors = dynos.Sum(d => d.Traffic.Errors);
        var minutes = Math.Max(window.TotalMinutes, 1.0 / 6);
        return dynos.Select(d =>
        {
            var requestShare = Share(d.Traffic.Requests, totalRequests);
            var errorShare = Share(d.Traffic.Errors, totalErrors);
            return new DynoUsage(
                d.Dyno,
                d.Traffic.Requests,
                requestShare,
                d.Traffic.Requests / minutes,
                d.Traffic.Service.Count == 0 ? double.NaN : d.Traffic.Service.Percentile(95),
                d.Traffic.Errors,
                d.Traffic.ErrorsByCode,
                errorShare,
                d.Load1m.Count == 0 ? double.NaN : d.Load1m.Average(p => p.V),
                Max(d.Load1m),
                Max(d.MemoryTotal),
                Max(d.MemorySwap),
                IsErrorOutlier(d.Traffic.Errors, errorShare, requestShare));
        }).ToList();
    }

    /// <summary>True when a dyno's share of the errors is far above its share of the traffic.</summary>
    public static bool IsErrorOutlier(int errors, double errorShare, double requestShare) =>
        errors >= MinOutlierErrors
        && errorShare >= OutlierRatio * requestShare
        && errorShare - requestShare >= OutlierMargin;

    private static double Share(int part, int total) => total == 0 ? 0 : (double)part / total;

    private static double Max(IReadOnlyList<SeriesPoint> points) => points.Count == 0 ? double.NaN : points.Max(p => p.V);
}
