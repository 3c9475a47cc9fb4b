using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Core.History;

/// <summary>
/// The history file as the app uses it: the current <see cref="LiteDbHistoryStore"/> on it, replaced by a freshly
/// opened one after a failed write. A LiteDB engine that hit an I/O error mid-transaction (a full disk) is unusable
/// for good, even once space returns ("to enqueue page, page must be writable"), and its reads see the failed
/// transaction's pages; only a new engine on the file reads what was committed. The in-memory open documents of the
/// old store go with it, so a retried write adds its facts once.
/// <para>
/// Readers and the writer share the current store (LiteDB takes concurrent reads beside one writer); replacing it
/// waits for calls in flight, so none sees a disposed engine.
/// </para>
/// </summary>
public sealed class ReopeningHistoryStore : IHistoryStore, IOperationsLog, IHistoryAppStore
{
    private readonly Func<LiteDbHistoryStore> _open;
    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.NoRecursion);
    private readonly string _path;
    private readonly List<LiteDbHistoryStore> _unclosable = []; // under the write lock
    private LiteDbHistoryStore? _current;
    private long _reopens;
    private int _disposed;

    /// <param name="open">Opens the file; called now and after every failed write.</param>
    public ReopeningHistoryStore(Func<LiteDbHistoryStore> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        _open = open;
        _current = open();
        _path = _current.Path;
    }

    /// <summary>Times the file was reopened after a failed write.</summary>
    public long Reopens => Interlocked.Read(ref _reopens);

    /// <summary>The store open now (tests and diagnostics); null between a failed write and a failed reopen.</summary>
    public LiteDbHistoryStore? Current => Volatile.Read(ref _current);

    /// <summary>Writes through the current store; when that fails, the store is dropped (and the file reopened on the
    /// next call), and the exception goes to the caller, who still owns the batches and may retry them.</summary>
    public void Write(IReadOnlyList<HistoryBatch> batches) => Call(s => s.Write(batches), drop: true);

    public int Sweep(DateTimeOffset cutoff, int maxDeletes) => Call(s => s.Sweep(cutoff, maxDeletes), drop: true);

    public int SweepExpired(DateTimeOffset now, int maxDeletes) => Call(s => s.SweepExpired(now, maxDeletes), drop: true);

    public LinesKept? GetLinesKept(string app) => Call(s => s.GetLinesKept(app));

    public long ReadJournalCheckpoint() => Call(s => s.ReadJournalCheckpoint());

    public IReadOnlyList<SeriesPoint> GetSeries(string app, DynoName dyno, RuntimeMetric metric, DateTimeOffset start,
        DateTimeOffset until) => Call(s => s.GetSeries(app, dyno, metric, start, until));

    public bool HasDyno(string app, DynoName dyno) => Call(s => s.HasDyno(app, dyno));

    public IReadOnlyList<string> GetApps() => Call(s => s.GetApps());

    public IReadOnlyList<DynoEvent> GetEvents(string app, DynoName? dyno, string? code, DateTimeOffset from,
        DateTimeOffset before, int limit) => Call(s => s.GetEvents(app, dyno, code, from, before, limit));

    public IReadOnlyList<LogLine> GetLines(string app, int limit) => Call(s => s.GetLines(app, limit));

    public IReadOnlyList<LogLine> GetLines(string app, DateTimeOffset from, DateTimeOffset before, int limit) =>
        Call(s => s.GetLines(app, from, before, limit));

    /// <summary>Streamed, outside the gate: re-seeding is the only caller, at start, before the writer runs, so
    /// nothing can replace the store under the enumeration (and a week of samples is not read into one list).</summary>
    public IEnumerable<StoredSample> ReadSamples(DateTimeOffset since) => Call(s => s).ReadSamples(since);

    public IEnumerable<StoredRollup> ReadRollups(DateTimeOffset since) => Call(s => s).ReadRollups(since);

    public (DateTimeOffset? Samples, DateTimeOffset? Rollups) GetNewest() => Call(s => s.GetNewest());

    public HistoryFileInfo GetFileInfo() => LiteDbHistoryStore.FileInfoOf(_path);

    public IReadOnlyList<AlertRule> GetAlertRules() => Call(s => s.GetAlertRules());

    public void SaveAlertRule(AlertRule rule) => Call(s => s.SaveAlertRule(rule), drop: true);

    public bool DeleteAlertRule(string name) => Call(s => s.DeleteAlertRule(name), drop: true);

    public void AddAlertTransition(AlertTransition transition) => Call(s => s.AddAlertTransition(transition), drop: true);

    public IReadOnlyList<AlertTransition> GetAlertTransitions(int limit) => Call(s => s.GetAlertTransitions(limit));

    public void AddRestart(RestartRecord restart) => Call(s => s.AddRestart(restart), drop: true);

    public IReadOnlyList<RestartRecord> GetRestarts(int limit) => Call(s => s.GetRestarts(limit));

    public int DeleteApp(string app) => Call(s => s.DeleteApp(app), drop: true);

    public AppRenameResult RenameApp(string app, string newName) => Call(s => s.RenameApp(app, newName), drop: true);

    /// <summary>Idempotent: the container disposes the one instance under each interface it is registered as.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _gate.EnterWriteLock();
        try
        {
            _current?.Dispose();
        }
#pragma warning disable CA1031 // Closing at shutdown on a full or failing disk: what history lacks is in the journal.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            _current = null;
            _gate.ExitWriteLock();
        }

        _gate.Dispose();
    }

    private void Call(Action<LiteDbHistoryStore> action, bool drop = false) =>
        Call<object?>(s =>
        {
            action(s);
            return null;
        }, drop);

    /// <param name="drop">The call writes: if it fails (other than on a bad argument), the engine may be broken, so it
    /// is dropped and the file reopened on the next call.</param>
    private T Call<T>(Func<LiteDbHistoryStore, T> call, bool drop = false)
    {
        LiteDbHistoryStore? failed = null;
        _gate.EnterReadLock();
        try
        {
            var store = Open();
            try
            {
                return call(store);
            }
            catch (Exception ex) when (drop && ex is not ArgumentException)
            {
                failed = store;
                throw;
            }
        }
        finally
        {
            _gate.ExitReadLock();
            if (failed is not null)
            {
                Drop(failed);
            }
        }
    }

    /// <summary>The current store, or a new one on the file when the last one was dropped. Called under the read
    /// lock; opening is rare (after a failure) and the open itself is serialized by a monitor.</summary>
    private LiteDbHistoryStore Open()
    {
        if (Volatile.Read(ref _current) is { } store)
        {
            return store;
        }

        lock (_open)
        {
            if (_current is null)
            {
                _current = _open();
                Interlocked.Increment(ref _reopens);
            }

            return _current;
        }
    }

    /// <summary>Drops <paramref name="failed"/> if it is still the current store, once calls in flight are done. It is
    /// closed under the write lock: a new engine must not open the file while the old one still holds it.</summary>
    private void Drop(LiteDbHistoryStore failed)
    {
        _gate.EnterWriteLock();
        try
        {
            if (!ReferenceEquals(_current, failed))
            {
                return; // another caller dropped it already
            }

            _current = null;
            if (!failed.Abandon())
            {
                // LiteDB's insides were not where expected: never let its failed transaction be finalized.
                _unclosable.Add(failed);
            }
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }
}
