namespace DynoDashboard.Core.Live;

/// <summary>Folding a stored rollup back in: history keeps rollups as snapshots, the live store as mutable buckets.</summary>
public sealed partial class RouterRollup
{
    /// <summary>Adds every count of <paramref name="snapshot"/> to this bucket (re-seeding from history, late history writes).</summary>
    public void Add(RouterRollupSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Requests += snapshot.Requests;
        Errors += snapshot.Errors;
        Bytes += snapshot.Bytes;
        var s = snapshot.StatusClasses;
        _statusClasses[0] += s.None;
        _statusClasses[1] += s.S1xx;
        _statusClasses[2] += s.S2xx;
        _statusClasses[3] += s.S3xx;
        _statusClasses[4] += s.S4xx;
        _statusClasses[5] += s.S5xx;
        foreach (var (code, count) in snapshot.ErrorsByCode)
        {
            AddError(code, count);
        }

        Connect.Merge(snapshot.Connect);
        Service.Merge(snapshot.Service);
    }
}
