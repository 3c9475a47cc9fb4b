using System.Text.Json;
using Xunit.Abstractions;

namespace DynoDashboard.Web.Tests.Storage;

/// <summary>
/// Issue 16's corrupt-database start, on the real app in a child process: readings are stored, the app stops, the
/// history file is damaged the two ways the issue found (its last 4 KiB cut off, its first 4 KiB overwritten), and the
/// app is started again. It must start, report the recovery on /api/status and in one log line naming both files,
/// keep the damaged file aside, and have every accepted reading again (rebuilt, or replayed from the drain journal).
/// </summary>
public sealed class DamagedHistoryFileTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan s_flushInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(90);
    private readonly string _folder = DashboardFactory.NewDataFolder();

    public enum Damage
    {
        /// <summary>The last 4 KiB cut off (a copy or a disk that lost the end).</summary>
        TruncatedTail,

        /// <summary>The first 4 KiB (half the header page) overwritten with other bytes.</summary>
        OverwrittenHead,
    }

    [Theory]
    [InlineData(Damage.TruncatedTail)]
    [InlineData(Damage.OverwrittenHead)]
    public async Task Start_OnADamagedHistoryFile_StartsReportsItKeepsItAsideAndHasEveryAcceptedReading(Damage damage)
    {
        var stream = new ReadingStream("damagedapp");
        using (var app = await ChildDashboard.StartAsync(_folder, s_flushInterval))
        {
            for (var i = 0; i < 20; i++)
            {
                await stream.PostNextAsync(app.Client);
            }

            await app.WaitUntilJournalWrittenAsync(s_patience);
            Assert.Equal(0, await app.StopAsync(TimeSpan.FromSeconds(45))); // LiteDB's log is folded into the file
        }

        var db = Path.Combine(_folder, "dynodash.db");
        DamageFile(db, damage);

        using (var app = await ChildDashboard.StartAsync(_folder, s_flushInterval))
        {
            await app.WaitUntilJournalWrittenAsync(s_patience);
            using var status = JsonDocument.Parse(await app.Api.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
            var recovery = Assert.Single(status.RootElement.GetProperty("storage").GetProperty("events").EnumerateArray());
            var kind = recovery.GetProperty("kind").GetString();
            output.WriteLine($"{damage}: {kind}: {recovery.GetProperty("detail").GetString()}");
            Assert.Equal(db, recovery.GetProperty("damagedPath").GetString());
            var movedTo = recovery.GetProperty("movedTo").GetString()!;
            Assert.StartsWith(db + ".damaged-", movedTo, StringComparison.Ordinal);
            Assert.True(File.Exists(movedTo), movedTo);
            if (damage == Damage.OverwrittenHead)
            {
                Assert.Equal("history-replaced", kind); // LiteDB cannot read a file without its header
            }
            else
            {
                Assert.Contains(kind, (string[])["history-rebuilt", "history-replaced"]);
            }

            // One line says it all: the damaged file, where it went, what was lost.
            var line = Assert.Single(app.Output.Split('\n'), l => l.Contains("was damaged", StringComparison.Ordinal));
            Assert.Contains(db, line, StringComparison.Ordinal);
            Assert.Contains(movedTo, line, StringComparison.Ordinal);

            await stream.AssertAllAcceptedStoredAsync(app.Api, $"after the {damage} start");
            await stream.PostNextAsync(app.Client); // and ingestion goes on
            await app.WaitUntilJournalWrittenAsync(s_patience);
            await stream.AssertAllAcceptedStoredAsync(app.Api, "after a new batch");
            Assert.Equal(0, await app.StopAsync(TimeSpan.FromSeconds(45)));
        }

        // The new file is healthy: the next start reports nothing (no loop of recoveries).
        using (var app = await ChildDashboard.StartAsync(_folder, s_flushInterval))
        {
            using var status = JsonDocument.Parse(await app.Api.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
            Assert.Equal(0, status.RootElement.GetProperty("storage").GetProperty("events").GetArrayLength());
            await stream.AssertAllAcceptedStoredAsync(app.Api, "after a clean restart");
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static void DamageFile(string path, Damage damage)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        Assert.True(file.Length > 8192, $"{path} is only {file.Length} bytes");
        if (damage == Damage.TruncatedTail)
        {
            file.SetLength(file.Length - 4096);
            return;
        }

        var garbage = new byte[4096];
        new Random(16).NextBytes(garbage); // seeded: the same damage every run
        file.Write(garbage);
    }
}
