using System.Diagnostics;
using DynoDashboard.Web.Storage;

namespace DynoDashboard.Web.Tests.Storage;

/// <summary>One process per data folder: a second instance on a folder in use stops at once, non-zero, saying which
/// folder and which process holds it; the lock goes with its holder.</summary>
public sealed class DataFolderLockTests : IDisposable
{
    private readonly string _folder = DashboardFactory.NewDataFolder();

    [Fact]
    public async Task SecondProcess_OnAFolderInUse_ExitsAtOnceNamingTheFolderAndTheHolder()
    {
        using var first = await ChildDashboard.StartAsync(_folder, TimeSpan.FromMilliseconds(250));

        var clock = Stopwatch.StartNew();
        // Generous for a busy machine's process start; a second instance that went on to open the files and listen
        // would never exit by itself and time out here.
        var (exitCode, output) = await ChildDashboard.RunToExitAsync(_folder, TimeSpan.FromSeconds(60));

        Assert.Equal(DataFolderLockedException.ExitCode, exitCode);
        Assert.Contains(Path.GetFullPath(_folder), output, StringComparison.Ordinal);
        Assert.Contains($"pid={first.ProcessId}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60));

        // The first one was not disturbed.
        using var health = await first.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.True(health.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Lock_LeftByAKilledProcess_DoesNotBlockTheNextStart()
    {
        using (var killed = await ChildDashboard.StartAsync(_folder, TimeSpan.FromMilliseconds(250)))
        {
            killed.Kill();
        }

        Assert.True(File.Exists(Path.Combine(_folder, DataFolderLock.FileName))); // the file stays, its lock went
        using var next = await ChildDashboard.StartAsync(_folder, TimeSpan.FromMilliseconds(250));
        using var health = await next.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.True(health.IsSuccessStatusCode);
    }

    [Fact]
    public void SecondHolder_InThisProcess_IsRefusedUntilTheFirstReleases()
    {
        using (var held = new DataFolderLock(_folder, TimeProvider.System))
        {
            var refused = Assert.Throws<DataFolderLockedException>(() => new DataFolderLock(_folder, TimeProvider.System));
            Assert.Equal(held.Folder, refused.Folder);
            Assert.Contains(held.Folder, refused.Message, StringComparison.Ordinal);
        }

        using var again = new DataFolderLock(_folder, TimeProvider.System);
        Assert.Contains($"pid={Environment.ProcessId}", File.ReadAllText(again.Path), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
