using System.Collections;
using System.Reflection;

namespace DynoDashboard.Core.History;

public sealed partial class LiteDbHistoryStore
{
    /// <summary>
    /// Closes a store whose engine failed mid-write (see <see cref="ReopeningHistoryStore"/>). LiteDB 5.0.21 leaves the
    /// failed transaction in its monitor, and that transaction's finalizer throws ("discarded page must be writable"),
    /// which on the finalizer thread ends the whole process; and when the engine's own close fails too (its checkpoint
    /// meets the full disk, or its rollback did) it keeps the files open, so no new engine could open them. So: the
    /// leftover transactions' finalizers are suppressed, the engine is closed, and then its file streams are closed
    /// directly.
    /// Reaches into LiteDB's private fields (pinned to 5.0.21 in Directory.Packages.props); returns false when they
    /// are not where expected, and the caller then keeps the store referenced for good rather than risk the crash.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA1816", Justification = "LiteDB's own objects' finalizers are what must not run; see above.")]
    internal bool Abandon()
    {
        var engine = Field(_db, "_engine");
        var monitor = Field(engine, "_monitor");
        if (engine is null || Field(monitor, "_transactions") is not IDictionary open)
        {
            return false;
        }

        // The monitor's open transactions and, on this thread (the one whose write failed), the failed one, which a
        // rollback that threw may have left out of the monitor's list.
        var transactions = new List<object>();
        lock (open)
        {
            transactions.AddRange(open.Values.OfType<object>());
        }

        if (Field(monitor, "_slot") is { } slot && slot.GetType().GetProperty("Value")?.GetValue(slot) is { } current &&
            !transactions.Contains(current))
        {
            transactions.Add(current);
        }

        foreach (var transaction in transactions)
        {
            GC.SuppressFinalize(transaction);
        }

        GC.SuppressFinalize(_db);
        try
        {
            _db.Dispose();
        }
#pragma warning disable CA1031 // The close of a broken engine may fail in any way; its files are closed below.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        // Then every stream of the engine, also after a close that did not throw: an engine whose rollback met the full
        // disk "closes" with its failed transaction's log reader still rented, and no new engine could open the log
        // file while that handle held its lock (closing a closed stream does nothing).
        var disk = Field(engine, "_disk");
        foreach (var pool in new[] { Field(disk, "_dataPool"), Field(disk, "_logPool") })
        {
            if (Field(pool, "_pool") is IEnumerable streams)
            {
                foreach (var stream in streams.OfType<Stream>())
                {
                    Close(stream);
                }
            }

            CloseLazy(Field(pool, "_writer"));
        }

        CloseLazy(Field(disk, "_writer"));
        foreach (var transaction in transactions)
        {
            var reader = Field(transaction, "_reader");
            CloseLazy(Field(reader, "_dataStream"));
            CloseLazy(Field(reader, "_logStream"));
        }

        return true;
    }

    private static void CloseLazy(object? lazy)
    {
        if (lazy is Lazy<Stream> { IsValueCreated: true } created)
        {
            Close(created.Value);
        }
    }

    /// <summary>
    /// Closes one of the engine's files whatever happens: a stream whose buffered pages meet the full disk throws from
    /// its flush (its handle is closed all the same), and stopping at the first such stream once left the log file's
    /// writer open and locked, so every reopen failed with "being used by another process" until the app restarted.
    /// </summary>
    private static void Close(Stream stream)
    {
        try
        {
            stream.Dispose();
        }
#pragma warning disable CA1031 // The buffered pages are part of the failed transaction: losing them is the point.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static object? Field(object? target, string name) =>
        target?.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(target);
}
