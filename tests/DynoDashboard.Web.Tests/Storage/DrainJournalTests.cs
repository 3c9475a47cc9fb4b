using System.Net;
using System.Net.Http.Json;
using DynoDashboard.Web.Api;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DynoDashboard.Web.Tests.Storage;

/// <summary>
/// The drain journal on real files: records come back after a reopen exactly as appended, only those after the
/// checkpoint; a torn tail is cut; covered segments are deleted; the byte budget holds. Then the whole path: a
/// journal left by a crash is replayed into the live store and history at start, and a retry of it is dropped.
/// </summary>
public sealed class DrainJournalTests : IDisposable
{
    private const long Kib = 1024;
    private readonly string _folder = DashboardFactory.NewDataFolder();
    private static readonly DateTimeOffset s_t0 = new DateTimeOffset(DateTimeOffset.UtcNow.UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero).AddHours(-1);

    private string JournalFolder => Path.Combine(_folder, "journal");

    [Fact]
    public void Reopen_AfterCheckpoint_ReadsExactlyTheBatchesAfterItAsAppended()
    {
        long first, second, third;
        using (var journal = Open())
        {
            first = Append(journal, "alpha", "a", frameId: "f-1", declared: 3);
            second = Append(journal, "beta", "bb", frameId: null, declared: null, format: DrainFormat.CliText);
            third = Append(journal, "alpha", "ccc", frameId: "f-3", declared: 1);
        }

        Assert.True(first < second && second < third);
        using var reopened = Open(checkpoint: first);
        var batches = reopened.ReadUnwritten().ToList();
        try
        {
            Assert.Equal([second, third], batches.Select(b => b.JournalPosition));
            Assert.Equal(["beta", "alpha"], batches.Select(b => b.App));
            Assert.Equal([DrainFormat.CliText, DrainFormat.Logplex], batches.Select(b => b.Format));
            Assert.Equal(["bb", "ccc"], batches.Select(b => System.Text.Encoding.ASCII.GetString(b.Body)));
            Assert.Equal([null, "f-3"], batches.Select(b => b.FrameId));
            Assert.Equal([null, 1], batches.Select(b => b.DeclaredMessageCount));
            Assert.All(batches, b => Assert.Equal(s_t0, b.ReceivedAt));
            Assert.Equal(third, reopened.Position); // new records continue after the old ones
            Assert.Equal(2, reopened.Status().ReplayedBatches);
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void Reopen_TornLastRecord_IsCutAndAppendingGoesOnFromTheLastWholeRecord()
    {
        long first;
        using (var journal = Open())
        {
            first = Append(journal, "alpha", "whole", frameId: null, declared: null);
            Append(journal, "alpha", new string('x', 1000), frameId: null, declared: null);
        }

        // A crash mid-write: the second record lost its last bytes.
        var file = Assert.Single(Directory.GetFiles(JournalFolder));
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length - 10);
        }

        using var reopened = Open();
        var batch = Assert.Single(reopened.ReadUnwritten());
        batch.Dispose();
        Assert.Equal(first, batch.JournalPosition);
        Assert.Equal(first, reopened.Position);
        Assert.Equal(first, new FileInfo(file).Length);
    }

    [Fact]
    public void Reopen_DamagedRecordMidSegment_IsSkippedAndCountedAndTheRecordsAroundItAreKept()
    {
        long first, second, third, fourth;
        using (var journal = Open())
        {
            first = Append(journal, "alpha", "one");
            second = Append(journal, "alpha", new string('x', 1000));
            third = Append(journal, "alpha", "three");
            fourth = Append(journal, "alpha", "four");
        }

        // A bad disk block inside the second record: one byte of its body changed, so its CRC fails.
        CorruptByte(Assert.Single(Directory.GetFiles(JournalFolder)), first + 500);

        using var reopened = Open();
        var batches = reopened.ReadUnwritten().ToList();
        try
        {
            Assert.Equal([first, third, fourth], batches.Select(b => b.JournalPosition));
            Assert.Equal(["one", "three", "four"], batches.Select(b => System.Text.Encoding.ASCII.GetString(b.Body)));
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }

        var damage = Assert.Single(reopened.Damage);
        Assert.Equal(1, damage.Records);
        Assert.Equal(second - first, damage.Bytes);
        Assert.Equal(1, reopened.Status().DamagedRecords);
        Assert.Equal(fourth, reopened.Position); // nothing cut: the damage was not at the end
    }

    [Fact]
    public async Task Start_JournalWithADamagedRecord_ReplaysTheOthersAndReportsTheDamageOnStatus()
    {
        long first;
        using (var journal = Open())
        {
            first = AppendRuntime(journal, rssMb: 100, at: s_t0);
            AppendRuntime(journal, rssMb: 200, at: s_t0.AddSeconds(20));
            AppendRuntime(journal, rssMb: 300, at: s_t0.AddSeconds(40));
        }

        CorruptByte(Assert.Single(Directory.GetFiles(JournalFolder)), first + 60);

        using var factory = new DashboardFactory(dataFolder: _folder);
        using var client = factory.CreateClient();
        await factory.Counters.WaitForProcessedAsync(2).WaitAsync(TimeSpan.FromSeconds(20));
        await factory.Services.GetRequiredService<HistoryWriter>().WhenCaughtUpAsync(CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(20));

        var status = await client.GetFromJsonAsync<IngestionStatus>("/api/status");
        Assert.Equal(2, status!.Journal!.ReplayedBatches);
        Assert.Equal(1, status.Journal.DamagedRecords);
        var reported = Assert.Single(status.Storage!.Events);
        Assert.Equal(DynoDashboard.Web.Storage.StorageEventKinds.JournalDamaged, reported.Kind);
        Assert.StartsWith(JournalFolder, reported.DamagedPath, StringComparison.Ordinal);
        var series = await client.GetFromJsonAsync<SeriesResponse>(
            $"/api/apps/journaled/dynos/web.1/series?metric=memory_rss&from={Uri.EscapeDataString(s_t0.AddMinutes(-1).ToString("O"))}");
        Assert.Equal([100.0, 300.0], series!.Points.Select(p => p.V));
    }

    [Fact]
    public void Release_DeletesSegmentsHistoryHasWrittenAndKeepsTheRest()
    {
        using var journal = Open(segmentBytes: 64 * Kib);
        var positions = Enumerable.Range(0, 10).Select(_ => Append(journal, "alpha", new string('r', 20 * (int)Kib))).ToList();
        var before = Directory.GetFiles(JournalFolder).Length;

        journal.Release(positions[5]);

        var after = Directory.GetFiles(JournalFolder).Length;
        Assert.True(before >= 3, $"{before} segments");
        Assert.True(after < before, $"{after} of {before} segments left");
        using var reopened = Open(checkpoint: positions[5], segmentBytes: 64 * Kib);
        var left = reopened.ReadUnwritten().ToList();
        left.ForEach(b => b.Dispose());
        Assert.Equal(positions[6..], left.Select(b => b.JournalPosition));
    }

    [Fact]
    public void Rotate_SegmentHistoryAlreadyHas_IsDeletedByTheNextReleaseNotUnderTheAppend()
    {
        using var journal = Open(segmentBytes: 64 * Kib);
        var positions = Enumerable.Range(0, 4).Select(_ => Append(journal, "alpha", new string('r', 20 * (int)Kib))).ToList();
        journal.Release(positions[^1]); // history has it all; the full segment is still the open one
        Assert.Single(Directory.GetFiles(JournalFolder));

        var next = Append(journal, "alpha", "after the rotation"); // rotates: the closed segment is wholly written

        Assert.Equal(2, Directory.GetFiles(JournalFolder).Length); // the append did not unlink it
        journal.Release(positions[^1]);
        Assert.Single(Directory.GetFiles(JournalFolder));
        Assert.Equal(1, journal.Status().Segments);
        using var reopened = Open(checkpoint: positions[^1], segmentBytes: 64 * Kib);
        var left = reopened.ReadUnwritten().ToList();
        left.ForEach(b => b.Dispose());
        Assert.Equal([next], left.Select(b => b.JournalPosition));
    }

    [Fact]
    public void Append_PastTheBudget_SegmentHistoryAlreadyHas_IsDeletedToMakeRoom()
    {
        using var journal = Open(segmentBytes: 64 * Kib, maxBytes: 100 * Kib);
        var positions = Enumerable.Range(0, 4).Select(_ => Append(journal, "alpha", new string('r', 20 * (int)Kib))).ToList();
        journal.Release(positions[^1]);

        // Rotates (keeping the written segment until the next Release), then goes over the budget before one comes.
        Append(journal, "alpha", new string('s', 20 * (int)Kib));
        Append(journal, "alpha", new string('s', 20 * (int)Kib));

        var status = journal.Status();
        Assert.Equal(0, status.RefusedBatches);
        Assert.Single(Directory.GetFiles(JournalFolder));
    }

    [Fact]
    public void Append_PastTheBudget_WithBodiesHistoryLacks_IsRefusedAndNothingIsDropped()
    {
        using var journal = Open(segmentBytes: 64 * Kib, maxBytes: 128 * Kib);
        var accepted = new List<long>();
        var refused = 0;
        for (var i = 0; i < 20; i++)
        {
            if (TryAppend(journal, "alpha", new string('r', 20 * (int)Kib)) is { } position)
            {
                accepted.Add(position);
            }
            else
            {
                refused++;
            }
        }

        var status = journal.Status();
        Assert.True(status.Bytes <= 128 * Kib, $"{status.Bytes} bytes");
        Assert.Equal(refused, status.RefusedBatches);
        Assert.True(refused > 0);
        // Every accepted body is still there to replay.
        using var reopened = Open(segmentBytes: 64 * Kib, maxBytes: 128 * Kib);
        var replayed = reopened.ReadUnwritten().ToList();
        replayed.ForEach(b => b.Dispose());
        Assert.Equal(accepted, replayed.Select(b => b.JournalPosition));
    }

    [Fact]
    public void Append_Refused_IsAcceptedAgainOnceHistoryCatchesUp()
    {
        using var journal = Open(segmentBytes: 64 * Kib, maxBytes: 128 * Kib);
        long last = 0;
        while (TryAppend(journal, "alpha", new string('r', 20 * (int)Kib)) is { } position)
        {
            last = position;
        }

        journal.Release(last); // history stored everything so far

        Assert.NotNull(TryAppend(journal, "alpha", new string('s', 20 * (int)Kib)));
    }

    [Fact]
    public void Open_JournalFolderGone_PositionsContinueFromHistorysCheckpoint()
    {
        using var journal = Open(checkpoint: 5_000);
        Assert.Empty(journal.ReadUnwritten());
        Assert.True(Append(journal, "alpha", "x") > 5_000);
    }

    [Fact]
    public async Task Start_JournalLeftByACrash_IsReplayedIntoLiveAndHistoryAndItsRetryIsDropped()
    {
        // What a crash leaves behind: a journaled body that history never got.
        var body = new LogplexBody().Runtime(s_t0, "web.1", load1m: 0.5, rssMb: 321, swapMb: 0);
        using (var journal = Open())
        {
            using var batch = DrainBatch.Copy("crashed", DrainFormat.Logplex, body.ToBytes(), s_t0, frameId: "frame-7");
            Assert.True(journal.TryAppend(batch, out _));
        }

        using var factory = new DashboardFactory(dataFolder: _folder);
        using var client = factory.CreateClient();
        var writer = factory.Services.GetRequiredService<HistoryWriter>();
        await factory.Counters.WaitForProcessedAsync(1).WaitAsync(TimeSpan.FromSeconds(20));
        await writer.WhenCaughtUpAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        var dyno = Assert.Single((await client.GetFromJsonAsync<List<DynoResponse>>("/api/apps/crashed/dynos"))!);
        Assert.Equal(321, dyno.MemoryRssMb);
        var status = await client.GetFromJsonAsync<IngestionStatus>("/api/status");
        Assert.Equal(1, status!.Journal!.ReplayedBatches);
        Assert.Equal(status.Journal.Position, status.History!.JournalCheckpoint);

        // Logplex retries the body whose 204 the crash swallowed: same frame id, dropped.
        using var retry = await factory.PostLogplexAndWaitAsync("crashed", body, frameId: "frame-7");
        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        Assert.Equal(1, factory.Counters.Snapshot(0, 0).DuplicateFrames);
    }

    [Fact]
    public async Task Post_WrittenToHistory_MovesTheCheckpointToTheJournalsEnd()
    {
        using var factory = new DashboardFactory(dataFolder: _folder);
        for (var i = 0; i < 3; i++)
        {
            await factory.PostLogplexAndWaitAsync("steady", new LogplexBody().Router(s_t0.AddSeconds(i), "web.1"));
        }

        await factory.Services.GetRequiredService<HistoryWriter>().WhenCaughtUpAsync(CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(20));
        var journal = factory.Services.GetRequiredService<DrainJournal>().Status();
        Assert.Equal(3, journal.AppendedBatches);
        Assert.Equal(journal.Position, factory.Services.GetRequiredService<HistoryWriter>().Status().JournalCheckpoint);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>History's database reached after start, on a new disk (a Heroku dyno's): the journal takes nothing
    /// until it knows the checkpoint, then numbers new bodies above it, so a crash replays them instead of taking them
    /// for stored.</summary>
    [Fact]
    public void OpenWithoutCheckpoint_RefusesUntilAttached_ThenPositionsContinueAboveTheCheckpoint()
    {
        const long stored = 50_000; // the database's checkpoint, from an earlier disk
        long position;
        using (var journal = DrainJournal.Open(JournalFolder, 1024 * Kib, 64 * 1024 * Kib, null, null, NullLogger.Instance))
        {
            Assert.False(journal.IsAttached);
            Assert.Null(TryAppend(journal, "alpha", "early"));

            journal.Attach(stored);
            position = Append(journal, "alpha", "after");
        }

        Assert.True(position > stored, $"position {position} is not above the checkpoint {stored}");
        using var reopened = Open(checkpoint: stored);
        var batch = Assert.Single(reopened.ReadUnwritten());
        using (batch)
        {
            Assert.Equal("after", System.Text.Encoding.ASCII.GetString(batch.Body));
        }
    }

    private DrainJournal Open(long checkpoint = 0, long segmentBytes = 1024 * Kib, long maxBytes = 64 * 1024 * Kib) =>
        DrainJournal.Open(JournalFolder, segmentBytes, maxBytes, TimeSpan.FromSeconds(1), checkpoint, NullLogger.Instance);

    private static long Append(DrainJournal journal, string app, string body, string? frameId = null, int? declared = null,
        DrainFormat format = DrainFormat.Logplex)
    {
        using var batch = DrainBatch.Copy(app, format, System.Text.Encoding.ASCII.GetBytes(body), s_t0, declared, frameId);
        Assert.True(journal.TryAppend(batch, out var position), "refused: the journal is at its budget");
        return position;
    }

    private static long AppendRuntime(DrainJournal journal, int rssMb, DateTimeOffset at)
    {
        var body = new LogplexBody().Runtime(at, "web.1", load1m: 0.5, rssMb: rssMb, swapMb: 0);
        using var batch = DrainBatch.Copy("journaled", DrainFormat.Logplex, body.ToBytes(), s_t0);
        Assert.True(journal.TryAppend(batch, out var position));
        return position;
    }

    private static void CorruptByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0xFF));
    }

    private static long? TryAppend(DrainJournal journal, string app, string body)
    {
        using var batch = DrainBatch.Copy(app, DrainFormat.Logplex, System.Text.Encoding.ASCII.GetBytes(body), s_t0);
        return journal.TryAppend(batch, out var position) ? position : null;
    }
}
