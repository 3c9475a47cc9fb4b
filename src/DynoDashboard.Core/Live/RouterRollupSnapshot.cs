namespace DynoDashboard.Core.Live;

/// <summary>Router requests by HTTP status class; <see cref="None"/> counts lines with an empty <c>status=</c>.</summary>
public readonly record struct StatusClassCounts(int S1xx, int S2xx, int S3xx, int S4xx, int S5xx, int None)
{
    public int Total => S1xx + S2xx + S3xx + S4xx + S5xx + None;

    public static StatusClassCounts operator +(StatusClassCounts a, StatusClassCounts b) => new(
        a.S1xx + b.S1xx, a.S2xx + b.S2xx, a.S3xx + b.S3xx, a.S4xx + b.S4xx, a.S5xx + b.S5xx, a.None + b.None);

    public static StatusClassCounts Add(StatusClassCounts a, StatusClassCounts b) => a + b;
}

/// <summary>
/// A reader's copy of router traffic over [<see cref="Start"/>, <see cref="End"/>): one 10-s rollup, or
/// several merged with <see cref="Merge"/> ("requests and errors in the last hour", p95 over a window).
/// The histograms are private copies; treat them as read-only.
/// </summary>
public sealed record RouterRollupSnapshot(
    DateTimeOffset Start,
    DateTimeOffset End,
    int Requests,
    StatusClassCounts StatusClasses,
    int Errors,
    IReadOnlyDictionary<string, int> ErrorsByCode,
    LatencyHistogram Connect,
    LatencyHistogram Service,
    long Bytes)
{
    internal static readonly IReadOnlyDictionary<string, int> NoErrors =
        new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Everything in <paramref name="rollups"/> as one snapshot covering [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static RouterRollupSnapshot Merge(
        DateTimeOffset start, DateTimeOffset end, IEnumerable<RouterRollupSnapshot> rollups)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        var requests = 0;
        var errors = 0;
        long bytes = 0;
        var statusClasses = default(StatusClassCounts);
        var byCode = new Dictionary<string, int>(StringComparer.Ordinal);
        var connect = new LatencyHistogram();
        var service = new LatencyHistogram();
        foreach (var rollup in rollups)
        {
            requests += rollup.Requests;
            errors += rollup.Errors;
            bytes += rollup.Bytes;
            statusClasses += rollup.StatusClasses;
            foreach (var (code, count) in rollup.ErrorsByCode)
            {
                byCode[code] = byCode.GetValueOrDefault(code) + count;
            }

            connect.Merge(rollup.Connect);
            service.Merge(rollup.Service);
        }

        return new RouterRollupSnapshot(start, end, requests, statusClasses, errors, byCode, connect, service, bytes);
    }
}
