namespace DynoDashboard.Core.Live;

/// <summary>Re-seeding from history at start-up: stored rollups go back into their 10-s buckets.</summary>
internal sealed partial class DynoState
{
    /// <summary>Adds a stored rollup to its bucket; false when the bucket is older than the kept window.</summary>
    public bool SeedRollup(RouterRollupSnapshot snapshot, DateTimeOffset lastRequest)
    {
        var rollup = RollupFor(snapshot.Start);
        if (rollup is null)
        {
            return false;
        }

        MarkData(lastRequest);
        rollup.Add(snapshot);
        return true;
    }
}
