using DynoDashboard.Core.History;

namespace DynoDashboard.Web.Storage;

/// <summary>
/// Opens the LiteDB history file for <see cref="ReopeningHistoryStore"/>. The first open (at start) goes through
/// <see cref="LiteDbHistoryStore.OpenOrRecover"/>, so a damaged file is rebuilt or moved aside instead of stopping the
/// app (a container would restart it in a loop); what happened is logged in one line and kept in
/// <see cref="StorageHealth"/> for <c>/api/status</c> and the banner. Reopens after a failed write open the file as it
/// is: a write that failed on a full disk is no sign of damage, and moving a healthy file aside would lose it.
/// </summary>
public sealed partial class HistoryFile(string path, HistoryBudgets budgets, StorageHealth health, TimeProvider time,
    ILogger<HistoryFile> logger)
{
    private int _opened;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public LiteDbHistoryStore Open()
    {
        if (Interlocked.Exchange(ref _opened, 1) == 1)
        {
            return new LiteDbHistoryStore(Path, budgets);
        }

        var now = time.GetUtcNow();
        var store = LiteDbHistoryStore.OpenOrRecover(Path, budgets, now, out var recovery);
        if (recovery is { } r)
        {
            var cause = r.Cause.Message.ReplaceLineEndings(" ");
            LogRecovered(logger, r.DamagedPath, cause, r.MovedTo, r.Detail);
            health.Record(new StorageEvent(now,
                r.Kind == HistoryRecoveryKind.Rebuilt ? StorageEventKinds.HistoryRebuilt : StorageEventKinds.HistoryReplaced,
                r.DamagedPath, r.MovedTo, $"{r.Detail} ({cause})"));
        }

        return store;
    }

    // One line, as an error: an operator reading the start-up log must see both paths and what was lost.
    [LoggerMessage(Level = LogLevel.Error, Message = "History file {Path} was damaged ({Cause}); the damaged file is kept as {MovedTo}; {Detail}; the drain journal's batches not yet in history are replayed into it")]
    private static partial void LogRecovered(ILogger logger, string path, string cause, string movedTo, string detail);
}
