using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.History;

/// <summary>
/// What one drain batch of one app adds to history, copied out of the parser's views by <see cref="HistoryTee"/>.
/// Plain facts: the history store, not the ingestion thread, folds requests into rollups and samples into minutes.
/// Batches are reused through a <see cref="HistoryBatchPool"/> once written, so their lists keep their capacity.
/// </summary>
public sealed class HistoryBatch(string app)
{
    public string App { get; private set; } = app;

    public List<SampleFact> Samples { get; } = [];

    public List<RouterFact> Requests { get; } = [];

    public List<DynoEvent> Events { get; } = [];

    /// <summary>App output and raw lines. Router and runtime lines are kept as rollups and samples, not as text.</summary>
    public List<LogLine> Lines { get; private set; } = [];

    /// <summary>How many facts the batch holds.</summary>
    public int Count => Samples.Count + Requests.Count + Events.Count + Lines.Count;

    /// <summary>Where the drain batch this came from ends in the drain journal (0 without a journal). The store keeps
    /// the largest it has written as the journal checkpoint, in the same transaction as the facts.</summary>
    public long JournalPosition { get; set; }

    /// <summary>Slots the lists hold, used or not: what keeping the batch for reuse costs.</summary>
    internal int Capacity => Samples.Capacity + Requests.Capacity + Events.Capacity + Lines.Capacity;

    /// <summary>Moves the lines into a batch of their own (the writer queues them apart, since they alone may be
    /// shed); null when there are none. The two batches swap line lists instead of copying them, so both keep
    /// their capacity; the new batch comes from <paramref name="pool"/> when given.</summary>
    public HistoryBatch? TakeLines(HistoryBatchPool? pool = null)
    {
        if (Lines.Count == 0)
        {
            return null;
        }

        var lines = pool?.Rent(App) ?? new HistoryBatch(App);
        lines.JournalPosition = JournalPosition;
        (lines.Lines, Lines) = (Lines, lines.Lines);
        return lines;
    }

    /// <summary>Empties the batch for reuse. Clearing drops the references the facts hold (lines, events, names), so a
    /// batch waiting in the pool keeps nothing of a previous batch alive and can never hand it on.</summary>
    internal void Reset(string app)
    {
        App = app;
        JournalPosition = 0;
        Samples.Clear();
        Requests.Clear();
        Events.Clear();
        Lines.Clear();
    }
}

/// <summary>One half (load or memory) of a runtime reading; the store merges halves as the live store does.</summary>
public readonly record struct SampleFact(DynoName Dyno, string? Incarnation, RuntimeSample Sample);

/// <summary>What a router rollup needs of one request. <see cref="Dyno"/> is null for requests that reached no dyno.</summary>
public readonly record struct RouterFact(
    DateTimeOffset Time, DynoName? Dyno, int? Status, int? ConnectMs, int? ServiceMs, long? Bytes, ErrorCodeInfo? Code)
{
    /// <summary>The rollup key: the dyno, or <see cref="DynoName.NoDyno"/>.</summary>
    public DynoName RollupDyno => Dyno ?? DynoName.NoDyno;

    /// <summary>Adds the request to <paramref name="rollup"/> through the same path as live ingestion.</summary>
    public void AddTo(RouterRollup rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        rollup.Add(new RouterRequest
        {
            Time = Time,
            Level = Code is null ? RouterLevel.Info : RouterLevel.Error,
            Code = Code,
            Dyno = Dyno,
            ConnectMs = ConnectMs,
            ServiceMs = ServiceMs,
            Status = Status,
            Bytes = Bytes,
            Message = default,
        });
    }
}

/// <summary>A runtime sample read back from history.</summary>
public readonly record struct StoredSample(string App, DynoName Dyno, RuntimeSample Sample, string? Incarnation);

/// <summary>A 10-s router rollup read back from history, with the newest request time of its minute.</summary>
public sealed record StoredRollup(string App, DynoName Dyno, RouterRollupSnapshot Rollup, DateTimeOffset LastRequest);

/// <summary>How big the history files are (the data file and LiteDB's write-ahead log beside it); cheap to ask.</summary>
public sealed record HistoryFileInfo(string Path, long FileBytes, long LogBytes);
