namespace DynoDashboard.Web.Storage;

/// <summary>
/// What the operator must know about DynoDashboard's files: conditions that hold now (kept by kind, so a later
/// "disk space low, drain refusing batches" sets and clears one) and events that happened (a damaged history file
/// moved aside, damaged drain-journal records skipped). Shown in <c>/api/status</c> → <c>storage</c> and by the
/// <see cref="StorageBanner"/> on every page. Thread-safe; <see cref="Changed"/> fires after every change.
/// </summary>
public sealed class StorageHealth
{
    // Events are rare (a damaged file at start); the bound only keeps a misbehaving disk from growing the list.
    private const int MaxEvents = 50;

    private readonly Lock _gate = new();
    private readonly List<StorageEvent> _events = [];
    private readonly Dictionary<string, StorageCondition> _conditions = new(StringComparer.Ordinal);

    /// <summary>Raised after any change, on the thread that made it; subscribers marshal to their own.</summary>
    public event Action? Changed;

    /// <summary>Whether there is anything to show.</summary>
    public bool HasNotice
    {
        get
        {
            lock (_gate)
            {
                return _events.Count > 0 || _conditions.Count > 0;
            }
        }
    }

    public void Record(StorageEvent storageEvent)
    {
        ArgumentNullException.ThrowIfNull(storageEvent);
        lock (_gate)
        {
            if (_events.Count == MaxEvents)
            {
                _events.RemoveAt(0);
            }

            _events.Add(storageEvent);
        }

        Changed?.Invoke();
    }

    /// <summary>Damaged drain-journal records found at open, one event per segment.</summary>
    public void RecordJournalDamage(IEnumerable<DrainJournalDamage> damage, DateTimeOffset at)
    {
        foreach (var segment in damage)
        {
            Record(new StorageEvent(at, StorageEventKinds.JournalDamaged, segment.Path, null,
                $"{segment.Records} damaged drain-journal records ({segment.Bytes} bytes) skipped; the records around them were kept and replayed"));
        }
    }

    /// <summary>Sets (or replaces) the condition of this kind.</summary>
    public void Set(StorageCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        lock (_gate)
        {
            _conditions[condition.Kind] = condition;
        }

        Changed?.Invoke();
    }

    /// <summary>Ends the condition of this kind, if there is one.</summary>
    public void Clear(string kind)
    {
        bool removed;
        lock (_gate)
        {
            removed = _conditions.Remove(kind);
        }

        if (removed)
        {
            Changed?.Invoke();
        }
    }

    public StorageStatus Status()
    {
        lock (_gate)
        {
            return new StorageStatus([.. _conditions.Values.OrderBy(c => c.Since)], [.. _events]);
        }
    }
}

/// <summary>Kinds of <see cref="StorageEvent"/>.</summary>
public static class StorageEventKinds
{
    /// <summary>The history file was damaged; LiteDB's rebuild kept what it could read.</summary>
    public const string HistoryRebuilt = "history-rebuilt";

    /// <summary>The history file could not be opened or read; it was moved aside and a new one started.</summary>
    public const string HistoryReplaced = "history-replaced";

    /// <summary>Damaged records in a drain-journal segment were skipped; the records around them were kept.</summary>
    public const string JournalDamaged = "journal-damaged";
}

/// <summary>Something that happened to a file: when, what, the damaged file, where it went (null if it stayed).</summary>
public sealed record StorageEvent(DateTimeOffset At, string Kind, string DamagedPath, string? MovedTo, string Detail);

/// <summary>A state that holds until cleared, e.g. a full disk. <paramref name="Blocking"/>: the drain or history
/// is refusing work because of it (shown as an error rather than a warning).</summary>
public sealed record StorageCondition(string Kind, string Message, DateTimeOffset Since, bool Blocking);

/// <summary>Kinds of <see cref="StorageCondition"/>.</summary>
public static class StorageConditionKinds
{
    /// <summary>Free space under <c>Storage:MinFreeBytes</c>: the drain refuses new batches (<see cref="FreeSpaceWatch"/>).</summary>
    public const string DiskLow = "disk-low";

    /// <summary>History writes fail and are being retried; the drain journal keeps the batches meanwhile.</summary>
    public const string HistoryFailing = "history-failing";
}

/// <summary>The <c>storage</c> section of <c>GET /api/status</c>: conditions that hold now, and what happened to the
/// files since start (damaged history file recovered, damaged journal records skipped).</summary>
public sealed record StorageStatus(IReadOnlyList<StorageCondition> Conditions, IReadOnlyList<StorageEvent> Events);
