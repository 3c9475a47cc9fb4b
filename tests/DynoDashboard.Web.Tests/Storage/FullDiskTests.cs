using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace DynoDashboard.Web.Tests.Storage;

/// <summary>
/// Issue 16's disk-full test on a real filesystem: the app in a child process with its data folder on a 12 MB tmpfs,
/// a stream of known readings, the disk filled to the last byte mid-stream, then freed. Every batch the drain answered
/// 204 must reach history (and still be there after a restart), every refused one must have got a 503, and the app
/// must answer throughout.
/// </summary>
public sealed class FullDiskTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_flushInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(90);

    [SmallDiskFact]
    public async Task DiskFullMidStream_EveryAcknowledgedBatchReachesHistory_RefusedOnesGot503_AppAnswers()
    {
        using var disk = SmallDisk.Mount();
        var stream = new ReadingStream("fullapp");
        // No free-space floor here: the kernel's ENOSPC itself, in the journal and in LiteDB, is what is tested.
        string[] settings = ["--Storage:MinFreeBytes=0", "--Storage:JournalSegmentBytes=65536"];

        using (var app = await ChildDashboard.StartAsync(disk.Path, s_flushInterval, settings))
        {
            for (var i = 0; i < 20; i++)
            {
                await stream.PostNextAsync(app.Client);
            }

            await app.WaitUntilJournalWrittenAsync(s_patience);

            // Nearly full: the journal takes a few more bodies while LiteDB's next commits (whole 8 KiB pages into its
            // log) run out of room with facts pending; then both meet ENOSPC.
            disk.Fill(leaveFreeBytes: 256 * 1024);
            var refused = new List<int>();
            long writeFailures = 0;
            for (var i = 0; i < 400 && (refused.Count < 20 || writeFailures == 0); i++)
            {
                var batch = stream.TakeNext();
                var answer = await stream.PostOnceAsync(app.Client, batch);
                Assert.True(answer is HttpStatusCode.NoContent or HttpStatusCode.ServiceUnavailable, $"batch {batch}: {answer}");
                if (answer == HttpStatusCode.ServiceUnavailable)
                {
                    refused.Add(batch);
                }

                // The app keeps answering: health and the API (pages read the same live store).
                using var health = await app.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                using var status = JsonDocument.Parse(await app.Api.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
                writeFailures = status.RootElement.GetProperty("history").GetProperty("writeFailures").GetInt64();
                Assert.True(status.RootElement.GetProperty("rejections").GetProperty("storage").GetInt64() +
                            status.RootElement.GetProperty("rejections").GetProperty("queueFull").GetInt64() >= refused.Count);
            }

            Assert.True(refused.Count >= 20, $"{refused.Count} refused");
            Assert.True(writeFailures > 0, "the history writer never met the full disk");
            using (var apps = await app.Api.GetAsync(new Uri("/api/apps", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, apps.StatusCode);
            }

            // Space returns; Logplex retries what it was refused.
            disk.Free();
            using var retries = new CancellationTokenSource(s_patience);
            foreach (var batch in refused)
            {
                await stream.PostUntilAcceptedAsync(app.Client, batch, retries.Token);
            }

            await stream.PostNextAsync(app.Client);
            await app.WaitUntilJournalWrittenAsync(s_patience);
            var values = await stream.AssertAllAcceptedStoredAsync(app.Api, "after space returned");
            output.WriteLine($"{stream.Accepted.Count} batches accepted, {refused.Count} refused while full then retried, " +
                $"{writeFailures} failed history writes; {values.Count} readings stored");

            var exit = await app.StopAsync(TimeSpan.FromSeconds(45));
            Assert.True(exit == 0, $"exit code {exit} at SIGTERM:\n{string.Join('\n', app.Output.Split('\n').TakeLast(60))}");
        }

        // After a restart, from the file alone.
        using var restarted = await ChildDashboard.StartAsync(disk.Path, s_flushInterval, settings);
        await restarted.WaitUntilJournalWrittenAsync(s_patience);
        await stream.AssertAllAcceptedStoredAsync(restarted.Api, "after a restart");
    }

    [SmallDiskFact]
    public async Task Sigterm_WhileTheDiskIsFull_StopsWithinTheHostTimeout_AndTheNextStartWritesEverything()
    {
        using var disk = SmallDisk.Mount();
        var stream = new ReadingStream("stopapp");
        string[] settings = ["--Storage:MinFreeBytes=0", "--Storage:JournalSegmentBytes=65536"];
        using (var app = await ChildDashboard.StartAsync(disk.Path, s_flushInterval, settings))
        {
            for (var i = 0; i < 10; i++)
            {
                await stream.PostNextAsync(app.Client);
            }

            await app.WaitUntilJournalWrittenAsync(s_patience);

            // Full with acknowledged batches that history has not stored: the writer is retrying when the stop comes.
            disk.Fill(leaveFreeBytes: 128 * 1024);
            long failures = 0;
            for (var i = 0; i < 400 && failures == 0; i++)
            {
                await stream.PostOnceAsync(app.Client, stream.TakeNext());
                using var answer = await app.Api.GetAsync(new Uri("/api/status", UriKind.Relative));
                Assert.True(answer.IsSuccessStatusCode, $"/api/status {answer.StatusCode}:\n{string.Join('\n', app.Output.Split('\n').TakeLast(40))}");
                using var status = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
                failures = status.RootElement.GetProperty("history").GetProperty("writeFailures").GetInt64();
            }

            Assert.True(failures > 0, "the history writer never met the full disk");
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            var exit = await app.StopAsync(TimeSpan.FromSeconds(60));
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(30), $"stop took {stopping.Elapsed}: Heroku's SIGKILL comes 30 s after SIGTERM");
            Assert.True(exit == 0, $"exit code {exit} at SIGTERM:\n{string.Join('\n', app.Output.Split('\n').TakeLast(40))}");
            output.WriteLine($"stopped in {stopping.Elapsed.TotalSeconds:0.0} s with the disk full; {stream.Accepted.Count} batches accepted");
        }

        disk.Free();
        using var restarted = await ChildDashboard.StartAsync(disk.Path, s_flushInterval, settings);
        await restarted.WaitUntilJournalWrittenAsync(s_patience);
        await stream.AssertAllAcceptedStoredAsync(restarted.Api, "after a stop on a full disk and a restart");
    }
}
