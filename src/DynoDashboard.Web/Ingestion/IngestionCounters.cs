using DynoDashboard.Core.Parsing;
using DynoDashboard.Web.Storage;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// What the drain has seen since start, for <c>/api/status</c>. Counters are written with Interlocked from
/// the endpoint (many threads) and the ingestion service (one thread) and read without locks.
/// </summary>
public sealed class IngestionCounters
{
    private readonly Lock _waitersLock = new();
    private readonly List<(long Target, TaskCompletionSource Signal)> _waiters = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AppDrainCounters> _apps = new(StringComparer.Ordinal);

    private long _batchesReceived;
    private long _bytesReceived;
    private long _batchesProcessed;
    private long _batchFailures;
    private long _frames;
    private long _runtimeLines;
    private long _routerLines;
    private long _eventLines;
    private long _appLines;
    private long _rawLines;
    private long _resyncs;
    private long _duplicateFrames;
    private long _countMismatches;
    private long _rejectedUnauthorized;
    private long _rejectedTooLarge;
    private long _rejectedQueueFull;
    private long _rejectedStorage;
    private long _rejectedBadRequest;
    private long _sheddingBatches;
    private long _shedRouterLines;
    private long _shedAppLines;
    private int _shedding;

    public long BatchesReceived => Volatile.Read(ref _batchesReceived);

    public long BatchesProcessed => Volatile.Read(ref _batchesProcessed);

    public long LinesParsed => Volatile.Read(ref _runtimeLines) + Volatile.Read(ref _routerLines) +
                               Volatile.Read(ref _eventLines) + Volatile.Read(ref _appLines) + Volatile.Read(ref _rawLines);

    public void BatchReceived(string app, int bytes, DateTimeOffset at)
    {
        Interlocked.Increment(ref _batchesReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
        ForApp(app)?.BatchReceived(at);
    }

    public void DuplicateFrame(string app)
    {
        Interlocked.Increment(ref _duplicateFrames);
        ForApp(app)?.DuplicateFrame();
    }

    public void RejectedUnauthorized() => Interlocked.Increment(ref _rejectedUnauthorized);

    public void RejectedTooLarge() => Interlocked.Increment(ref _rejectedTooLarge);

    public void RejectedQueueFull() => Interlocked.Increment(ref _rejectedQueueFull);

    /// <summary>A batch refused because it could not be made safe on disk (journal full or failing, disk low).</summary>
    public void RejectedStorage() => Interlocked.Increment(ref _rejectedStorage);

    public void RejectedBadRequest() => Interlocked.Increment(ref _rejectedBadRequest);

    public void CountMismatch(string app)
    {
        Interlocked.Increment(ref _countMismatches);
        ForApp(app)?.CountMismatch();
    }

    /// <summary>Drops one app's drain counters (the app was deleted or renamed); global totals stay.</summary>
    public void ForgetApp(string app) => _apps.TryRemove(app, out _);

    /// <summary>The drain counters of one app; null for an app never seen.</summary>
    public AppDrainStatus? GetApp(string app) => _apps.TryGetValue(app, out var counters) ? counters.Snapshot() : null;

    /// <summary>Per-app counters, bounded like the frame-id memory: past the bound new apps only count globally.</summary>
    private AppDrainCounters? ForApp(string app)
    {
        if (_apps.TryGetValue(app, out var counters))
        {
            return counters;
        }

        return _apps.Count >= RecentFrameIds.MaxApps ? null : _apps.GetOrAdd(app, _ => new AppDrainCounters());
    }

    /// <summary>Ingestion entered or left shedding mode (<see cref="IngestionService"/>).</summary>
    public void SetShedding(bool shedding) => Volatile.Write(ref _shedding, shedding ? 1 : 0);

    /// <summary>A batch processed in shedding mode and the plain lines it kept out of recent lines and history.</summary>
    public void BatchShed(int routerLines, int appLines)
    {
        Interlocked.Increment(ref _sheddingBatches);
        Interlocked.Add(ref _shedRouterLines, routerLines);
        Interlocked.Add(ref _shedAppLines, appLines);
    }

    public void BatchFailed()
    {
        Interlocked.Increment(ref _batchFailures);
        BatchDone();
    }

    public void BatchParsed(in DrainParseResult result)
    {
        Interlocked.Add(ref _frames, result.Frames);
        Interlocked.Add(ref _runtimeLines, result.RuntimeLines);
        Interlocked.Add(ref _routerLines, result.RouterLines);
        Interlocked.Add(ref _eventLines, result.EventLines);
        Interlocked.Add(ref _appLines, result.AppLines);
        Interlocked.Add(ref _rawLines, result.RawLines);
        Interlocked.Add(ref _resyncs, result.Resyncs);
        BatchDone();
    }

    /// <summary>Completes once <paramref name="batchCount"/> batches have been processed (parsed or failed).
    /// Lets tests and the load generator await ingestion instead of sleeping.</summary>
    public Task WaitForProcessedAsync(long batchCount, CancellationToken cancellationToken = default)
    {
        lock (_waitersLock)
        {
            if (BatchesProcessed >= batchCount)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((batchCount, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    public IngestionStatus Snapshot(int queueDepth, int queueCapacity) => new(
        BatchesReceived: BatchesReceived,
        BytesReceived: Volatile.Read(ref _bytesReceived),
        BatchesProcessed: BatchesProcessed,
        BatchFailures: Volatile.Read(ref _batchFailures),
        Frames: Volatile.Read(ref _frames),
        LinesParsed: LinesParsed,
        LinesByKind: new LinesByKind(
            Runtime: Volatile.Read(ref _runtimeLines),
            Router: Volatile.Read(ref _routerLines),
            Event: Volatile.Read(ref _eventLines),
            App: Volatile.Read(ref _appLines),
            Raw: Volatile.Read(ref _rawLines)),
        UnparsableFrames: Volatile.Read(ref _rawLines),
        Resyncs: Volatile.Read(ref _resyncs),
        DuplicateFrames: Volatile.Read(ref _duplicateFrames),
        CountMismatches: Volatile.Read(ref _countMismatches),
        Rejections: new Rejections(
            Unauthorized: Volatile.Read(ref _rejectedUnauthorized),
            TooLarge: Volatile.Read(ref _rejectedTooLarge),
            QueueFull: Volatile.Read(ref _rejectedQueueFull),
            BadRequest: Volatile.Read(ref _rejectedBadRequest))
        {
            Storage = Volatile.Read(ref _rejectedStorage),
        },
        QueueDepth: queueDepth,
        QueueCapacity: queueCapacity,
        Shedding: new SheddingStatus(
            Active: Volatile.Read(ref _shedding) != 0,
            Batches: Volatile.Read(ref _sheddingBatches),
            RouterLines: Volatile.Read(ref _shedRouterLines),
            AppLines: Volatile.Read(ref _shedAppLines)));

    private void BatchDone()
    {
        var processed = Interlocked.Increment(ref _batchesProcessed);
        lock (_waitersLock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= processed)
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}

/// <summary>The body of <c>GET /api/status</c>.</summary>
public sealed record IngestionStatus(
    long BatchesReceived,
    long BytesReceived,
    long BatchesProcessed,
    long BatchFailures,
    long Frames,
    long LinesParsed,
    LinesByKind LinesByKind,
    long UnparsableFrames,
    long Resyncs,
    long DuplicateFrames,
    long CountMismatches,
    Rejections Rejections,
    int QueueDepth,
    int QueueCapacity,
    SheddingStatus Shedding)
{
    /// <summary>The history writer's queue, drops and writes.</summary>
    public Storage.HistoryStatus? History { get; init; }

    /// <summary>The drain journal (null when <c>Storage:JournalMaxBytes</c> is 0).</summary>
    public DrainJournalStatus? Journal { get; init; }

    /// <summary>Free space on the data folder's disk against <c>Storage:MinFreeBytes</c>.</summary>
    public Storage.DiskSpaceStatus? Disk { get; init; }

    /// <summary>Storage conditions now (disk low, history failing) and recoveries since start (a damaged history file
    /// rebuilt or moved aside, damaged journal records skipped).</summary>
    public Storage.StorageStatus? Storage { get; init; }
}

/// <summary>Overload shedding: whether it is on now, how many batches were processed shedding, and the plain router
/// and app lines those batches kept out of the recent-lines buffer and history (their rollups were still counted).</summary>
public sealed record SheddingStatus(bool Active, long Batches, long RouterLines, long AppLines)
{
    public long Lines => RouterLines + AppLines;
}

public sealed record LinesByKind(long Runtime, long Router, long Event, long App, long Raw);

/// <summary>Drain requests turned away, by answer: 401, 413, 503 and 400/415.</summary>
public sealed record Rejections(long Unauthorized, long TooLarge, long QueueFull, long BadRequest)
{
    /// <summary>Batches answered 503 because they could not be made safe on disk: the drain journal was full or
    /// failing, or free space was under <c>Storage:MinFreeBytes</c>.</summary>
    public long Storage { get; init; }
}

/// <summary>One app's drain counters, for drain health.</summary>
public sealed record AppDrainStatus(long Batches, long DuplicateFrames, long CountMismatches, DateTimeOffset? LastBatchAt);

internal sealed class AppDrainCounters
{
    private long _batches;
    private long _duplicates;
    private long _mismatches;
    private long _lastBatchTicks;

    public void BatchReceived(DateTimeOffset at)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Exchange(ref _lastBatchTicks, at.UtcTicks);
    }

    public void DuplicateFrame() => Interlocked.Increment(ref _duplicates);

    public void CountMismatch() => Interlocked.Increment(ref _mismatches);

    public AppDrainStatus Snapshot()
    {
        var ticks = Volatile.Read(ref _lastBatchTicks);
        return new AppDrainStatus(Volatile.Read(ref _batches), Volatile.Read(ref _duplicates), Volatile.Read(ref _mismatches),
            ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero));
    }
}
