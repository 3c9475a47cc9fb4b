using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using DynoDashboard.Web.Api;
using Xunit.Abstractions;

namespace DynoDashboard.Web.Tests.History;

/// <summary>
/// The issue's kill -9 test: the real app in a child process, a known stream of readings, SIGKILL mid-stream,
/// restart on the same file. Every reading the drain answered 204 to must be there after the restart (the drain
/// journal makes the 204 the durable point, so the issue's "older than one flush interval" holds with no allowance),
/// exactly once and in order, and ingestion goes on.
/// </summary>
public sealed class KillRestartTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 3;
    private const int ReadingsPerBatch = 10;
    private static readonly TimeSpan s_flushInterval = TimeSpan.FromMilliseconds(250);

    // Recent times, so the retention sweep at start keeps them whatever day the suite runs.
    private readonly DateTimeOffset _t0 = new(DateTimeOffset.UtcNow.AddHours(-3).UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
    private readonly string _folder = DashboardFactory.NewDataFolder();
    private readonly List<int> _accepted = [];
    private readonly List<(long Accepted, long Written)> _beforeKill = [];
    private int _nextBatch;
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
        Assert.Contains(ReadingsPerBatch * (_nextBatch - 1), (await SeriesAsync(last)).Select(p => (int)p.V));
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

        var replayed = await WaitUntilJournalWrittenAsync(app);
        var values = (await SeriesAsync(app)).Select(p => (int)p.V).ToList();

        Assert.Equal(values.Order(), values);
        Assert.Equal(values.Distinct().Count(), values.Count);
        var batches = values.Select(v => v / ReadingsPerBatch).ToHashSet();
        Assert.True(batches.IsSupersetOf(_accepted),
            $"restart {restart} ({_folder}): missing batches {string.Join(",", _accepted.Except(batches))} of " +
            $"{_accepted.Count} accepted; status before the kill {_beforeKill[restart - 1]}");
        output.WriteLine($"restart {restart}: {_accepted.Count} batches accepted so far, all stored; " +
            $"{replayed} replayed from the journal; history before the kill (accepted, written facts) {_beforeKill[restart - 1]}");
    }

    private async Task<List<PointResponse>> SeriesAsync(ChildDashboard app)
    {
        var from = _t0.ToString("O", CultureInfo.InvariantCulture);
        var series = await app.Api.GetFromJsonAsync<SeriesResponse>(
            $"/api/apps/killapp/dynos/web.1/series?metric=memory_rss&maxPoints=100000&from={Uri.EscapeDataString(from)}");
        return [.. series!.Points];
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

    /// <summary>Batch n holds readings n×10 … n×10+9 (the memory_rss value is the reading number) 20 s apart. A 503
    /// (queue full) is retried as Logplex would; only a 204 counts as accepted.</summary>
    private async Task PostBatchAsync(ChildDashboard app)
    {
        var batch = _nextBatch;
        var body = new LogplexBody();
        for (var i = 0; i < ReadingsPerBatch; i++)
        {
            var reading = (batch * ReadingsPerBatch) + i;
            body.Runtime(_t0.AddSeconds(20 * reading), "web.1", load1m: 0.5, rssMb: reading, swapMb: 0);
        }

        while (true)
        {
            using var request = body.ToRequest("killapp", frameId: $"kill-{batch}");
            using var response = await app.Client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50)); // Logplex's retry, shortened
                continue;
            }

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            break;
        }

        _accepted.Add(batch);
        if (++_postedThisRun >= FloodBatches)
        {
            _flooded.TrySetResult();
        }
        Volatile.Write(ref _nextBatch, batch + 1);
    }

    private async Task<ChildDashboard> StartAsync()
    {
        _postedThisRun = 0;
        return await ChildDashboard.StartAsync(_folder, s_flushInterval);
    }

    /// <summary>Waits until history's checkpoint is at the journal's end; returns how many batches were replayed.</summary>
    private static async Task<long> WaitUntilJournalWrittenAsync(ChildDashboard app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var (position, checkpoint, replayed) = await app.JournalAsync();
            if (checkpoint == position)
            {
                return replayed;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    private async Task WaitUntilWrittenAsync(ChildDashboard app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Each reading is two lines (load and memory halves): two facts.
        var expected = _postedThisRun * ReadingsPerBatch * 2;
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

            await Task.Delay(20, timeout.Token);
        }
    }
}
