using DynoDashboard.Core.History;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Storage;

/// <summary>What the app creates in its data folder holds the apps' logs and its secrets: the database, its log, the
/// journal segments, the generated ingest key and the lock file are 0600, and the folder it creates is 0700.</summary>
public sealed class PrivateFileModeTests
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;

    [Fact]
    public async Task Start_OnANewFolder_CreatesEveryFileTheOwnersOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix file modes there
        }

        // No Ingest:Key: the app generates ingest.key.
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Ingest:Key"] = "" });
        var key = factory.Services.GetRequiredService<IngestKey>();
        Assert.True(key.WasGenerated);
        using var drain = factory.CreateDrainClient(File.ReadAllText(key.Source).Trim());
        using var request = new LogplexBody().Runtime(TestTime.At(10), "web.1", 0.5, 100, 0).ToRequest("modes");
        using var response = await drain.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        await factory.Services.GetRequiredService<HistoryWriter>()
            .WhenCaughtUpAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var folder = factory.DataFolder;
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(folder));
        string[] files =
        [
            Path.Combine(folder, "dynodash.db"),
            LiteDbHistoryStore.LogPathOf(Path.Combine(folder, "dynodash.db")),
            Path.Combine(folder, IngestKey.FileName),
            Path.Combine(folder, DynoDashboard.Web.Storage.DataFolderLock.FileName),
            .. Directory.GetFiles(Path.Combine(folder, "journal")),
        ];
        Assert.True(files.Length >= 5, string.Join(", ", files));
        foreach (var file in files)
        {
            Assert.Equal((file, OwnerFile), (file, File.GetUnixFileMode(file)));
        }
    }
}
