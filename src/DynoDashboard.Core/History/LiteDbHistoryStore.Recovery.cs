using System.Globalization;
using LiteDB;
using LiteDB.Engine;

namespace DynoDashboard.Core.History;

public sealed partial class LiteDbHistoryStore
{
    // LiteDB 5 writes its data file in whole pages of this size; a file that is not is missing its end.
    private const int LiteDbPageBytes = 8192;

    /// <summary>LiteDB's write-ahead log beside <paramref name="path"/> (<c>dynodash-log.db</c>).</summary>
    public static string LogPathOf(string path) =>
        System.IO.Path.ChangeExtension(path, null) + "-log" + System.IO.Path.GetExtension(path);

    /// <summary>
    /// Opens the file and checks that it reads; a damaged one never stops the start. First LiteDB's own rebuild (it
    /// keeps what it can read; in 5.0.21 it fails on files with many documents in secondary indexes, LiteDB #2525,
    /// and cannot read a file whose header page is damaged); if the file still does not open and read, it is moved
    /// aside, named with <paramref name="now"/>, with its <c>-log</c> file, and a new file is opened. Either way
    /// <paramref name="recovery"/> says what happened; the caller's drain journal then replays what it holds after the
    /// new file's checkpoint.
    /// </summary>
    /// <remarks>Errors of the environment (a full disk, permissions) are not damage: moving a healthy file aside
    /// would not help, so they are thrown.</remarks>
    public static LiteDbHistoryStore OpenOrRecover(string path, HistoryBudgets budgets, DateTimeOffset now, out HistoryRecovery? recovery)
    {
        path = System.IO.Path.GetFullPath(path);
        recovery = null;
        Exception damage;
        try
        {
            return OpenChecked(path, budgets);
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            damage = ex;
        }

        var stamp = ".damaged-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        for (var n = 2; File.Exists(path + stamp); n++)
        {
            // A second recovery within the second (a damaged disk): never overwrite an earlier damaged file.
            stamp = string.Create(CultureInfo.InvariantCulture, $".damaged-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{n}");
        }

        var movedTo = path + stamp;
        var backup = TryRebuild(path);
        if (backup is not null)
        {
            try
            {
                var rebuilt = OpenChecked(path, budgets);
                if (rebuilt.SavedSomething())
                {
                    File.Move(backup, movedTo);
                    recovery = new HistoryRecovery(HistoryRecoveryKind.Rebuilt, path, movedTo,
                        $"LiteDB's rebuild kept {rebuilt.DescribeContents()} ({rebuilt.RebuildErrors()} unreadable parts left out)", damage);
                    return rebuilt;
                }

                // It read nothing but (at most) the journal checkpoint: kept, that checkpoint would stop the journal from
                // replaying what it still holds into the empty file. A new file (checkpoint 0) gets the replay.
                DisposeQuietly(rebuilt);
                DiscardRebuild(path, backup);
            }
            catch (Exception ex) when (IsDamage(ex))
            {
                // The rebuild's output does not read either: the original (its backup) is what is set aside.
                DiscardRebuild(path, backup);
            }
        }

        File.Move(path, movedTo);
        if (File.Exists(LogPathOf(path)))
        {
            File.Move(LogPathOf(path), LogPathOf(path) + stamp);
        }

        var fresh = OpenChecked(path, budgets);
        recovery = new HistoryRecovery(HistoryRecoveryKind.Replaced, path, movedTo,
            $"all history stored before {now.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z is left in the damaged file; a new file was started", damage);
        return fresh;
    }

    /// <summary>Reads what start-up reads (the seeder's queries, the journal checkpoint) and walks every collection's
    /// primary index, so a file that opens but throws on first read is found before it is used.</summary>
    public void CheckReadable()
    {
        _ = ReadJournalCheckpoint();
        var (newestSamples, newestRollups) = GetNewest();
        if (newestSamples is { } s)
        {
            foreach (var _ in ReadSamples(s - TimeSpan.FromHours(24)))
            {
            }
        }

        if (newestRollups is { } r)
        {
            foreach (var _ in ReadRollups(r - TimeSpan.FromHours(1)))
            {
            }
        }

        foreach (var app in GetApps())
        {
            _ = GetEvents(app, null, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 1_000);
            _ = GetLines(app, 1_000);
        }

        _ = CountDocuments();
    }

    /// <summary>What the file holds, in words (for the recovery message).</summary>
    public string DescribeContents()
    {
        var (hours, minutes, events, lines) = CountDocuments();
        return string.Create(CultureInfo.InvariantCulture,
            $"{hours} sample hours, {minutes} rollup minutes, {events} events and {lines} log lines");
    }

    /// <summary>Whether the rebuild kept any history (samples, rollups, events or lines).</summary>
    private bool SavedSomething() => CountDocuments() is not (0, 0, 0, 0);

    private static void DiscardRebuild(string path, string backup)
    {
        DeleteQuietly(path);
        DeleteQuietly(LogPathOf(path));
        File.Move(backup, path);
    }

    /// <summary>What LiteDB's rebuild could not read (it reports them in a collection of the rebuilt file).</summary>
    private int RebuildErrors() => _db.GetCollection("_rebuild_errors").Count();

    private static LiteDbHistoryStore OpenChecked(string path, HistoryBudgets budgets)
    {
        if (File.Exists(path) && new FileInfo(path).Length is var length && length % LiteDbPageBytes != 0)
        {
            // Checked before LiteDB opens it: LiteDB cuts the partial page off at open, and the next start would not see it.
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{path} is {length} bytes, not a whole number of {LiteDbPageBytes}-byte pages: its end is missing"));
        }

        var store = new LiteDbHistoryStore(path, budgets);
        try
        {
            store.CheckReadable();
            return store;
        }
        catch
        {
            DisposeQuietly(store);
            throw;
        }
    }

    /// <summary>Runs LiteDB's rebuild in place; returns the path of the original it kept (<c>-backup</c>), or null when
    /// the rebuild could not run or failed (its partial output is deleted).</summary>
    private static string? TryRebuild(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        var extension = System.IO.Path.GetExtension(path);
        var before = Directory.GetFiles(folder, name + "-backup*" + extension).ToHashSet(StringComparer.Ordinal);
        try
        {
            var options = new RebuildOptions { IncludeErrorReport = true };
            using (var engine = new LiteEngine(new EngineSettings { Filename = path }))
            {
                engine.Rebuild(options);
            }

            PrivateFiles.Restrict(path);
            return Directory.GetFiles(folder, name + "-backup*" + extension).FirstOrDefault(f => !before.Contains(f));
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            DeleteQuietly(System.IO.Path.Combine(folder, name + "-temp" + extension));
            DeleteQuietly(System.IO.Path.Combine(folder, name + "-temp-log" + extension));
            return null;
        }
    }

    private static bool IsDamage(Exception ex) =>
        ex is not (OutOfMemoryException or OperationCanceledException or UnauthorizedAccessException) &&
        (ex is not IOException || ex is EndOfStreamException);

    private static void DisposeQuietly(LiteDbHistoryStore store)
    {
        try
        {
            store.Dispose();
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            // Closing a damaged file can throw too; it is not used again.
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover of a failed rebuild; harmless if it stays.
        }
    }
}

public enum HistoryRecoveryKind
{
    /// <summary>LiteDB's rebuild saved what it could read; the damaged original was moved aside.</summary>
    Rebuilt,

    /// <summary>The file could not be opened or read: moved aside, a new file started.</summary>
    Replaced,
}

/// <summary>What <see cref="LiteDbHistoryStore.OpenOrRecover"/> did with a damaged file.</summary>
public sealed record HistoryRecovery(HistoryRecoveryKind Kind, string DamagedPath, string MovedTo, string Detail, Exception Cause);
