using System.Collections;
using System.Reflection;

namespace DynoDashboard.Core.History;

public sealed partial class LiteDbHistoryStore
{
    /// <summary>
    /// Closes a store whose engine failed mid-write (see <see cref="ReopeningHistoryStore"/>). LiteDB 5.0.21 leaves the
    /// failed transaction in its monitor, and that transaction's finalizer throws ("discarded page must be writable"),
    /// which on the finalizer thread ends the whole process; and when the engine's own close fails too (its checkpoint
    /// meets the full disk) it keeps the files open, so no new engine could open them. So: the leftover transactions'
    /// finalizers are suppressed, then the engine is closed, and if that fails its file streams are closed directly.
    /// Reaches into LiteDB's private fields (pinned to 5.0.21 in Directory.Packages.props); returns false when they
    /// are not where expected, and the caller then keeps the store referenced for good rather than risk the crash.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA1816", Justification = "LiteDB's own objects' finalizers are what must not run; see above.")]
    internal bool Abandon()
    {
        var engine = Field(_db, "_engine");
        var transactions = Field(Field(engine, "_monitor"), "_transactions") as IDictionary;
        if (engine is null || transactions is null)
        {
            return false;
        }

        lock (transactions)
        {
            foreach (var transaction in transactions.Values)
            {
                GC.SuppressFinalize(transaction!);
            }
        }

        GC.SuppressFinalize(_db);
        try
        {
            _db.Dispose();
            return true;
        }
#pragma warning disable CA1031 // The close of a broken engine may fail in any way; its files are closed below.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        var disk = Field(engine, "_disk");
        foreach (var pool in new[] { Field(disk, "_dataPool"), Field(disk, "_logPool") })
        {
            if (Field(pool, "_pool") is IEnumerable streams)
            {
                foreach (var stream in streams.OfType<Stream>())
                {
                    stream.Dispose();
                }
            }

            if (Field(pool, "_writer") is Lazy<Stream> { IsValueCreated: true } writer)
            {
                writer.Value.Dispose();
            }
        }

        return true;
    }

    private static object? Field(object? target, string name) =>
        target?.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(target);
}
