using Xunit.Abstractions;

namespace DynoDashboard.Web.Tests.History;

/// <summary>
/// The kill -9 test: the real app in a child process, a known stream of readings, SIGKILL mid-stream,
/// restart on the same file. Every reading the drain answered 204 to must be there after the restart (the drain
/// journal makes the 204 the durable point, so the "older than one flush interval" holds with no allowance),
/// exactly once and in order, and ingestion goes on.
/// </summary>
public sealed class KillRestartTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 3;
    private static readonly TimeSpan s_flushInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);

    private readonly string _folder = DashboardFactory.NewDataFolder();
    private readonly ReadingStream _stream = new("killapp");
    private readonly List<(long Accepted, long Written)> _beforeKill = [];
    private int _postedThisRun;

    // Batches per flood: 3 floods of 10 readings each stay well below the 100,000 points a series call returns.
    private const int FloodBatches = 2_000;
    private TaskCompletionSource _flooded = new();

    [Fact]
    public async Task Kill9_MidStreamThenRestart_KeepsEverythingTheDrainAcceptedAndIngestsOn()
    {
        for (var kill = 0; kill < Kills; kill++)
        {
            using var app = await StartAsync();
            await AssertDurableAsync(app, kill);

            // Phase 1: a few batches, then wait until history reports them written.
            for (var i = 0; i < 5; i++)
            {
                await PostBatchAsync(app);
            }

            await WaitUntilWrittenAsync(app);

            // Phase 2: a flood, as fast as the drain answers (so batches wait in the drain queue after their 204),
            // then kill without warning while batches are in flight: after FloodBatches accepted batches (or 2 s on a
            // slow machine), so the whole test stays under the series API's 100,000 points and is read back exactly.
            using var stop = new CancellationTokenSource();
            _flooded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var stream = StreamAsync(app, stop.Token);
            await Task.WhenAny(_flooded.Task, Task.Delay(TimeSpan.FromSeconds(2)));

            _beforeKill.Add(await app.HistoryAsync()); // for the failure message
            app.Kill();
            await stop.CancelAsync();
            await stream;
        }

        using var last = await StartAsync();
        await AssertDurableAsync(last, Kills);
        await PostBatchAsync(last);
        await WaitUntilWrittenAsync(last);
        Assert.Contains(ReadingStream.ReadingsPerBatch * (_stream.Next - 1), await _stream.ReadingsAsync(last.Api));
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("KEEP_KILL_FOLDER") is null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>After restart number <paramref name="restart"/>, once the journal's replay is in history: every batch
    /// that got a 204 is stored, each reading once, in order.</summary>
    private async Task AssertDurableAsync(ChildDashboard app, int restart)
    {
        if (restart == 0)
        {
            return;
        }

        var replayed = await app.WaitUntilJournalWrittenAsync(s_patience);
        await _stream.AssertAllAcceptedStoredAsync(app.Api,
            $"restart {restart} ({_folder}), status before the kill {_beforeKill[restart - 1]}");
        output.WriteLine($"restart {restart}: {_stream.Accepted.Count} batches accepted so far, all stored; " +
            $"{replayed} replayed from the journal; history before the kill (accepted, written facts) {_beforeKill[restart - 1]}");
    }

    private async Task StreamAsync(ChildDashboard app, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await PostBatchAsync(app);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            // The app died under us: that is the point.
        }
    }

    /// <summary>The next batch, a 503 (queue full) retried as Logplex would; only a 204 counts as accepted.</summary>
    private async Task PostBatchAsync(ChildDashboard app)
    {
        await _stream.PostNextAsync(app.Client);
        if (++_postedThisRun >= FloodBatches)
        {
            _flooded.TrySetResult();
        }
    }

    private async Task<ChildDashboard> StartAsync()
    {
        _postedThisRun = 0;
        return await ChildDashboard.StartAsync(_folder, s_flushInterval);
    }

    private async Task WaitUntilWrittenAsync(ChildDashboard app)
    {
        using var timeout = new CancellationTokenSource(s_patience);
        // Each reading is two lines (load and memory halves): two facts.
        var expected = _postedThisRun * ReadingStream.ReadingsPerBatch * 2;
        while (true)
        {
            // The drain answers before parsing, so first wait for the facts to be accepted, then written. Facts replayed
            // from the journal count as accepted too, so the journal's checkpoint must also have reached its end: every
            // batch that got a 204 was journaled first, this run's included.
            var (accepted, written) = await app.HistoryAsync();
            var (position, checkpoint, _) = await app.JournalAsync();
            if (accepted >= expected && written == accepted && checkpoint == position)
            {
                return;
            }

            await Task.Delay(ChildDashboard.StatusPollInterval, timeout.Token);
        }
    }
}
