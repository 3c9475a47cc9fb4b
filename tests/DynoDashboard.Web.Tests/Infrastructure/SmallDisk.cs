using System.Diagnostics;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>
/// A real small filesystem for fault tests: a tmpfs of a few megabytes mounted on a fresh folder, which a test can
/// fill to the last byte (<see cref="Fill"/>) and free again (<see cref="Free"/>). The app then meets ENOSPC from the
/// kernel exactly as on a full production disk. Mounting needs root, which CI has (.ci/run runs as root).
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private readonly string _filler;

    private SmallDisk(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler.bin");
    }

    public string Path { get; }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB on a new folder.</summary>
    public static SmallDisk Mount(int megabytes = 12)
    {
        var path = DashboardFactory.NewDataFolder();
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", path);
        return new SmallDisk(path);
    }

    /// <summary>Whether this machine lets the tests mount one (root and a mount binary).</summary>
    public static bool CanMount => OperatingSystem.IsLinux() && Environment.UserName == "root" &&
                                   (File.Exists("/usr/bin/mount") || File.Exists("/bin/mount"));

    /// <summary>Writes a filler file until at most <paramref name="leaveFreeBytes"/> are free (0: the disk is full).</summary>
    public void Fill(long leaveFreeBytes = 0)
    {
        using var filler = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, 0);
        var chunk = new byte[64 * 1024];
        try
        {
            while (FreeBytes > leaveFreeBytes)
            {
                var room = FreeBytes - leaveFreeBytes;
                filler.Write(chunk, 0, (int)Math.Min(chunk.Length, Math.Max(4096, room)));
            }
        }
        catch (IOException)
        {
            // Full: what was asked for when leaveFreeBytes is 0, and close enough otherwise.
        }
    }

    public void Free() => File.Delete(_filler);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static void Run(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
        }
    }
}

/// <summary>
/// A fact that needs <see cref="SmallDisk"/>. Where mounting is impossible (not root) it is skipped with the reason,
/// except under <c>CI=true</c>, where CI runs as root and a skipped fault test must fail instead of passing silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SmallDiskFactAttribute : FactAttribute
{
    public SmallDiskFactAttribute()
    {
        if (!SmallDisk.CanMount && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "Needs root to mount a small tmpfs (run as root, or under CI=true where this fails instead of skipping)";
        }
    }
}
