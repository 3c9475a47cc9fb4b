using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Core.History;

/// <summary>
/// Durable history of runtime samples, router rollups, events and log lines per app and dyno. Narrow on purpose
/// (ARCHITECTURE.md, scale-out): a PostgreSQL store should be a swap of this one implementation. One writer calls
/// <see cref="Write"/> and <see cref="Sweep"/>; readers may call the rest concurrently.
/// </summary>
public interface IHistoryStore : IDisposable
{
    /// <summary>Stores the batches in one transaction: all or nothing, together with the largest
    /// <see cref="HistoryBatch.JournalPosition"/> among them as the journal checkpoint. The caller reuses the batches
    /// (<see cref="HistoryBatchPool"/>) once this returns: copy facts out, keep no reference to a batch or its lists.</summary>
    void Write(IReadOnlyList<HistoryBatch> batches);

    /// <summary>The journal checkpoint last written (0 when none): every drain batch up to it is stored.</summary>
    long ReadJournalCheckpoint();

    /// <summary>Deletes up to <paramref name="maxDeletes"/> documents older than <paramref name="cutoff"/> and returns
    /// how many went; call again while it returns <paramref name="maxDeletes"/>.</summary>
    int Sweep(DateTimeOffset cutoff, int maxDeletes);

    /// <summary>As <see cref="Sweep"/>, with each app's own retention counted back from <paramref name="now"/>
    /// (the store's budgets); an app left with nothing is no longer listed by <see cref="GetApps"/>.</summary>
    int SweepExpired(DateTimeOffset now, int maxDeletes);

    /// <summary>Where the app's stored lines and events are complete from, when some were deleted (a line cap or
    /// retention); null when none were.</summary>
    LinesKept? GetLinesKept(string app);

    /// <summary>The non-missing values of a metric in [start, until], oldest first; empty when nothing is stored.</summary>
    IReadOnlyList<SeriesPoint> GetSeries(string app, DynoName dyno, RuntimeMetric metric, DateTimeOffset start, DateTimeOffset until);

    /// <summary>True when any sample or rollup of the dyno is stored.</summary>
    bool HasDyno(string app, DynoName dyno);

    /// <summary>Apps with anything stored.</summary>
    IReadOnlyList<string> GetApps();

    /// <summary>Up to <paramref name="limit"/> events in [from, before), newest first, optionally of one dyno
    /// (<see cref="DynoName.NoDyno"/> for app-wide) and one code.</summary>
    IReadOnlyList<DynoEvent> GetEvents(string app, DynoName? dyno, string? code, DateTimeOffset from, DateTimeOffset before, int limit);

    /// <summary>Up to <paramref name="limit"/> stored lines of the app, newest first.</summary>
    IReadOnlyList<LogLine> GetLines(string app, int limit);

    /// <summary>Up to <paramref name="limit"/> stored lines of the app in [from, before), newest first (log search
    /// over history: app output and raw lines; router and runtime lines are kept only as rollups and samples).</summary>
    IReadOnlyList<LogLine> GetLines(string app, DateTimeOffset from, DateTimeOffset before, int limit);

    /// <summary>Every stored sample at or after <paramref name="since"/> (re-seeding), oldest document first; a dyno's
    /// samples are in time order except where late ones arrived, which the live store orders and merges itself.</summary>
    IEnumerable<StoredSample> ReadSamples(DateTimeOffset since);

    /// <summary>Every stored 10-s rollup at or after <paramref name="since"/> (re-seeding), oldest minute first.</summary>
    IEnumerable<StoredRollup> ReadRollups(DateTimeOffset since);

    /// <summary>The newest stored reading's time and the newest rollup minute; null when there are none.</summary>
    (DateTimeOffset? Samples, DateTimeOffset? Rollups) GetNewest();

    HistoryFileInfo GetFileInfo();
}
