using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;
using DynoDashboard.Web.Api;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Tests.History;

public sealed class HistoryApiTests : IDisposable
{
    // Recent times: the retention sweep at start-up would delete anything older than 7 days.
    private static readonly DateTimeOffset s_t0 =
        new(DateTimeOffset.UtcNow.AddHours(-2).UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);

    private readonly string _folder = DashboardFactory.NewDataFolder();

    [Fact]
    public Task Restart_SameDataFolder_ApiShowsTheSameDynosSeriesAndEvents() =>
        AssertRestartKeepsTheApiAsync(() => new DashboardFactory(dataFolder: _folder));

    /// <summary>Posts <see cref="Traffic"/> to one host, stops it, starts another from <paramref name="start"/> and
    /// asserts the API answers alike: apps, dynos, series from history and events.</summary>
    internal static async Task AssertRestartKeepsTheApiAsync(Func<DashboardFactory> start)
    {
        string[] paths =
        [
            "/api/apps",
            "/api/apps/myapp/dynos",
            $"/api/apps/myapp/dynos/web.1/series?metric=memory_rss&from={Iso(s_t0)}",
            $"/api/apps/myapp/dynos/web.2/series?metric=load_avg_1m&from={Iso(s_t0)}",
            "/api/apps/myapp/events?limit=50",
        ];
        List<string> before;
        using (var first = start())
        {
            await first.PostLogplexAndWaitAsync("myapp", Traffic());
            before = await GetAllAsync(first, paths);
        }

        using var second = start();
        var after = await GetAllAsync(second, paths);

        Assert.Contains("\"web.2\"", before[1], StringComparison.Ordinal);
        Assert.Contains("H12", before[4], StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Series_RangeOlderThanTheLiveBuffer_AnswersFromHistoryAndDownsamples()
    {
        // The live store keeps 5 readings per dyno; 40 arrive.
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["LiveStore:RuntimeSamplesPerDyno"] = "5" },
            dataFolder: _folder);
        var body = new LogplexBody();
        for (var i = 0; i < 40; i++)
        {
            body.Runtime(s_t0.AddSeconds(20 * i), "web.1", load1m: 0.1, rssMb: 100 + i, swapMb: 0);
        }

        await factory.PostLogplexAndWaitAsync("myapp", body);
        await factory.WaitUntilHistoryWrittenAsync();
        using var client = factory.CreateClient();

        var all = await client.GetFromJsonAsync<SeriesResponse>(
            $"/api/apps/myapp/dynos/web.1/series?metric=memory_rss&from={Iso(s_t0)}");
        var live = await client.GetFromJsonAsync<SeriesResponse>("/api/apps/myapp/dynos/web.1/series?metric=memory_rss");
        var few = await client.GetFromJsonAsync<SeriesResponse>(
            $"/api/apps/myapp/dynos/web.1/series?metric=memory_rss&from={Iso(s_t0)}&maxPoints=10");
        using var tooMany = await client.GetAsync(new Uri("/api/apps/myapp/dynos/web.1/series?metric=memory_rss&maxPoints=1", UriKind.Relative));

        Assert.Equal(Enumerable.Range(100, 40).Select(v => (double)v), all!.Points.Select(p => p.V));
        Assert.Equal(40, live!.Points.Count);
        Assert.InRange(few!.Points.Count, 2, 10);
        Assert.Equal((100.0, 139.0), (few.Points.Min(p => p.V), few.Points.Max(p => p.V)));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }

    [Fact]
    public async Task Status_HistoryStoreStalled_IngestionWaitsForItAndNothingIsDropped()
    {
        using var stalled = new StalledHistoryStore();
        using var factory = new DashboardFactory(
            new Dictionary<string, string?> { ["Storage:QueueCapacity"] = "1", ["Storage:FlushInterval"] = "00:00:00.010" },
            services => services.AddSingleton<IHistoryStore>(stalled),
            dataFolder: _folder);

        await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0, "web.1"));
        await stalled.WriteStarted.WaitAsync(TimeSpan.FromSeconds(10));
        using var drain = factory.CreateDrainClient();
        for (var i = 1; i <= 4; i++)
        {
            using var response = await drain.SendAsync(new LogplexBody().Router(s_t0.AddSeconds(i), "web.1").ToRequest("myapp"));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        // Batch 1 is being written and batch 2 fills history's queue of one; batch 3 is parsed and then waits for
        // room, so batches 4 and 5 stay in the drain queue (where a flood would meet 503, not loss).
        await factory.Counters.WaitForProcessedAsync(3).WaitAsync(TimeSpan.FromSeconds(10));
        var waiting = factory.Services.GetRequiredService<HistoryWriter>().Status();
        Assert.Equal(1, waiting.Waits);
        Assert.Equal(3, factory.Counters.BatchesProcessed);

        stalled.Release();
        await factory.Counters.WaitForProcessedAsync(5).WaitAsync(TimeSpan.FromSeconds(10));
        var writer = factory.Services.GetRequiredService<HistoryWriter>();
        await writer.WhenCaughtUpAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var status = writer.Status();
        Assert.Equal(0, status.DroppedFacts);
        Assert.Equal(5, status.WrittenFacts);
        Assert.Equal(5, stalled.WrittenRequests);
    }

    [Fact]
    public async Task Start_HistoryOlderThanRetention_IsSweptAndTheRestIsSeeded()
    {
        Directory.CreateDirectory(_folder);
        using (var store = new LiteDbHistoryStore(Path.Combine(_folder, "dynodash.db"), 1_000))
        {
            var batch = new HistoryBatch("myapp");
            batch.Samples.Add(new SampleFact(new DynoName("web.1"), null,
                RuntimeSample.Empty(DateTimeOffset.UtcNow.AddDays(-3)) with { MemoryRssMb = 300 }));
            batch.Samples.Add(new SampleFact(new DynoName("web.9"), null,
                RuntimeSample.Empty(DateTimeOffset.UtcNow.AddDays(-3)) with { MemoryRssMb = 900 }));
            batch.Samples.Add(new SampleFact(new DynoName("web.1"), null,
                RuntimeSample.Empty(s_t0) with { MemoryRssMb = 250 }));
            store.Write([batch]);
        }

        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Storage:RetentionDays"] = "2" },
            dataFolder: _folder);
        using var client = factory.CreateClient();

        var dynos = await client.GetFromJsonAsync<List<DynoResponse>>("/api/apps/myapp/dynos");
        using var old = await client.GetAsync(new Uri("/api/apps/myapp/dynos/web.9/series?metric=memory_rss", UriKind.Relative));
        var series = await client.GetFromJsonAsync<SeriesResponse>("/api/apps/myapp/dynos/web.1/series?metric=memory_rss&from=-30d");

        Assert.Equal(250, Assert.Single(dynos!).MemoryRssMb);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        Assert.Equal([250.0], series!.Points.Select(p => p.V));
        Assert.Equal(2, factory.Services.GetRequiredService<HistoryWriter>().Status().SweptDocuments);
    }

    [Fact]
    public void Start_InvalidStorageSettings_FailsNamingEverySetting()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["Storage:FlushInterval"] = "00:00:00",
            ["Storage:FlushFacts"] = "0",
            ["Storage:QueueCapacity"] = "0",
            ["Storage:RetentionDays"] = "0",
            ["Storage:MaxLogLines"] = "0",
        }, dataFolder: _folder);

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        foreach (var setting in new[] { "FlushInterval", "FlushFacts", "QueueCapacity", "RetentionDays", "MaxLogLines" })
        {
            Assert.Contains(error.Failures, f => f.StartsWith($"Storage:{setting} ", StringComparison.Ordinal));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", CultureInfo.InvariantCulture));

    internal static LogplexBody Traffic()
    {
        var body = new LogplexBody();
        for (var i = 0; i < 12; i++)
        {
            var time = s_t0.AddSeconds(20 * i);
            body.Runtime(time, "web.1", load1m: 0.2 + (0.01 * i), rssMb: 250 + i, swapMb: 0)
                .Runtime(time, "web.2", load1m: 2.5, rssMb: 505, swapMb: 180,
                    incarnation: "heroku.145151706.22222222-bbbb-cccc-dddd-eeeeeeeeeeee")
                .Router(time.AddSeconds(1), "web.1", serviceMs: 30 + i)
                .Router(time.AddSeconds(2), "web.2", status: 503, serviceMs: 30000, code: "H12", desc: "Request timeout");
        }

        return body.Add(134, s_t0.AddMinutes(5), "heroku", "web.2", "State changed from up to crashed");
    }

    internal static async Task<List<string>> GetAllAsync(DashboardFactory factory, IEnumerable<string> paths)
    {
        using var client = factory.CreateClient();
        var result = new List<string>();
        foreach (var path in paths)
        {
            result.Add(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
        }

        return result;
    }

    /// <summary>A history store whose first write blocks until released, to fill the writer's queue.</summary>
    private sealed class StalledHistoryStore : IHistoryStore
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new();

        public Task WriteStarted => _started.Task;

        public void Release() => _release.Set();

        public int WrittenRequests { get; private set; }

        public void Write(IReadOnlyList<HistoryBatch> batches)
        {
            _started.TrySetResult();
            _release.Wait(TimeSpan.FromSeconds(30));
            WrittenRequests += batches.Sum(b => b.Requests.Count);
        }

        public int Sweep(DateTimeOffset cutoff, int maxDeletes) => 0;

        public int SweepExpired(DateTimeOffset now, int maxDeletes) => 0;

        public LinesKept? GetLinesKept(string app) => null;

        public long ReadJournalCheckpoint() => 0;

        public IReadOnlyList<SeriesPoint> GetSeries(string app, DynoName dyno, RuntimeMetric metric, DateTimeOffset start, DateTimeOffset until) => [];

        public bool HasDyno(string app, DynoName dyno) => false;

        public IReadOnlyList<string> GetApps() => [];

        public IReadOnlyList<DynoEvent> GetEvents(string app, DynoName? dyno, string? code, DateTimeOffset from, DateTimeOffset before, int limit) => [];

        public IReadOnlyList<LogLine> GetLines(string app, int limit) => [];

        public IReadOnlyList<LogLine> GetLines(string app, DateTimeOffset from, DateTimeOffset before, int limit) => [];

        public IEnumerable<StoredSample> ReadSamples(DateTimeOffset since) => [];

        public IEnumerable<StoredRollup> ReadRollups(DateTimeOffset since) => [];

        public (DateTimeOffset? Samples, DateTimeOffset? Rollups) GetNewest() => (null, null);

        public HistoryFileInfo GetFileInfo() => new("(stalled)", 0, 0);

        public void Dispose() => _release.Dispose();
    }
}
