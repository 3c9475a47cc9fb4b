using System.Globalization;
using DynoDashboard.Core;

namespace DynoDashboard.Web.Storage;

/// <summary>
/// One process per data folder: two would open the LiteDB file twice in direct mode, which corrupts it
/// (stack-notes.md), and would append to the same journal. Held as an OS lock on <c>dynodash.lock</c> for the life of
/// the process, so a lock file left by a killed process does not block (the kernel released its lock); the file says
/// who holds it (PID, host, start time) for the message a second instance gives.
/// <para>The cross-process lock is a POSIX record lock (<see cref="FileStream.Lock"/>), which a process never conflicts
/// with itself on, so holders in this process (test hosts) are also kept in a set.</para>
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    public const string FileName = "dynodash.lock";

    // Far past the holder text, so reading the text never touches the locked byte (Windows blocks reads of it).
    private const long LockOffset = 1 << 20;

    private static readonly HashSet<string> s_heldHere = new(StringComparer.Ordinal);

    private readonly FileStream _stream;
    private bool _disposed;

    /// <exception cref="DataFolderLockedException">Another process (or host in this one) holds the folder.</exception>
    public DataFolderLock(string folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Folder = System.IO.Path.GetFullPath(folder);
        Path = System.IO.Path.Combine(Folder, FileName);
        lock (s_heldHere)
        {
            if (!s_heldHere.Add(Folder))
            {
                throw new DataFolderLockedException(Folder, $"this process (PID {Environment.ProcessId})");
            }
        }

        try
        {
            PrivateFiles.CreateFolder(Folder);
            // Never truncated before the lock is ours: the text is the holder's until then.
            _stream = new FileStream(Path, PrivateFiles.CreateOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite,
                FileShare.ReadWrite | FileShare.Delete));
            try
            {
                if (!OperatingSystem.IsMacOS())
                {
                    _stream.Lock(LockOffset, 1);
                }
            }
            catch (IOException)
            {
                var holder = ReadHolder(_stream);
                _stream.Dispose();
                throw new DataFolderLockedException(Folder, holder);
            }

            PrivateFiles.Restrict(Path);
            var text = string.Create(CultureInfo.InvariantCulture,
                $"pid={Environment.ProcessId} host={Environment.MachineName} started={time.GetUtcNow():O}\n");
            _stream.SetLength(0);
            _stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
            _stream.Flush();
        }
        catch
        {
            lock (s_heldHere)
            {
                s_heldHere.Remove(Folder);
            }

            throw;
        }
    }

    public string Folder { get; }

    public string Path { get; }

    /// <summary>Releases the lock; the file stays (its existence means nothing without the lock).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Dispose();
        lock (s_heldHere)
        {
            s_heldHere.Remove(Folder);
        }
    }

    private static string ReadHolder(FileStream stream)
    {
        try
        {
            stream.Position = 0;
            var buffer = new byte[512];
            var read = stream.Read(buffer);
            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length > 0 ? $"the process {text}" : "another process";
        }
        catch (IOException)
        {
            return "another process";
        }
    }
}

/// <summary>The data folder is in use by another DynoDashboard process.</summary>
public sealed class DataFolderLockedException(string folder, string holder)
    : Exception($"The data folder {folder} is in use by {holder}. Only one DynoDashboard may use a data folder: stop the other one, or give this one its own Storage:Path.")
{
    /// <summary>The process's exit code when it stops for this (EX_TEMPFAIL: the folder may be free later).</summary>
    public const int ExitCode = 75;

    public string Folder { get; } = folder;

    public string Holder { get; } = holder;
}
