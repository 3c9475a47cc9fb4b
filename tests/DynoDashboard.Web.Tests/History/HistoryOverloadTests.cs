using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Tests.History;

/// <summary>
/// A full history queue never drops samples, router facts or events (issue 8, overload): ingestion waits for the
/// writer instead. Only app lines, which have a queue of their own, are shed and counted. The writer is started only
/// when the test says so, so the queues' states are deterministic.
/// </summary>
public sealed class HistoryOverloadTests : IDisposable
{
    private const string App = "overloaded";
    private readonly string _folder = DashboardFactory.NewDataFolder();

    [Fact]
    public async Task EndAsync_QueuesFull_WaitsForTheWriterKeepsEveryFactAndShedsOnlyLines()
    {
        Directory.CreateDirectory(_folder);
        using var store = new LiteDbHistoryStore(Path.Combine(_folder, "dynodash.db"), 1_000);
        var live = new LiveStore(new LiveStoreOptions());
        // Room for one batch in each queue: 2 samples + 10 requests + 1 error event in one, 1 app line in the other.
        using var writer = new HistoryWriter(store, live, Options.Create(new LiveStoreOptions()),
            Options.Create(new StorageOptions { QueueFacts = 13, QueueCapacity = 1, FlushInterval = TimeSpan.FromMilliseconds(10) }),
            TimeProvider.System, NullLogger<HistoryWriter>.Instance);
        var parser = new HerokuLogParser();
        var time = DateTimeOffset.UtcNow.AddMinutes(-1);

        var first = Tee(writer, live, parser, Body(time));
        var second = Tee(writer, live, parser, Body(time.AddSeconds(20)));

        Assert.True(first.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted); // no room: the ingestion thread would wait here, not drop
        var status = writer.Status();
        Assert.Equal(1, status.Waits);
        Assert.Equal(1, status.DroppedBatches); // the second batch's app line, from its own full queue
        Assert.Equal(1, status.DroppedFacts);

        await writer.StartAsync(CancellationToken.None);
        await second.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(2, store.GetSeries(App, new("web.1"), RuntimeMetric.MemoryRss, time.AddMinutes(-1), time.AddMinutes(1)).Count);
        Assert.Equal(2, store.GetSeries(App, new("web.1"), RuntimeMetric.LoadAvg1m, time.AddMinutes(-1), time.AddMinutes(1)).Count);
        Assert.Equal(2, store.GetEvents(App, null, "H12", time.AddMinutes(-1), time.AddMinutes(1), 10).Count);
        Assert.Single(store.GetLines(App, 10));
        Assert.Equal(20, store.ReadRollups(time.AddMinutes(-1)).Sum(r => r.Rollup.Requests));
        Assert.Equal(writer.Status().AcceptedFacts, writer.Status().WrittenFacts);
    }

    [Fact]
    public async Task Writer_BehindOnSamplesAndEvents_ShedsQueuedLinesFirstAndStoresEveryOtherFact()
    {
        Directory.CreateDirectory(_folder);
        using var store = new LiteDbHistoryStore(Path.Combine(_folder, "dynodash.db"), 1_000);
        var live = new LiveStore(new LiveStoreOptions());
        // Three batches of 13 facts wait (more than FlushFacts and more than half of QueueFacts) when the writer starts.
        using var writer = new HistoryWriter(store, live, Options.Create(new LiveStoreOptions()),
            Options.Create(new StorageOptions { QueueFacts = 60, FlushFacts = 13, FlushInterval = TimeSpan.FromMilliseconds(10) }),
            TimeProvider.System, NullLogger<HistoryWriter>.Instance);
        var parser = new HerokuLogParser();
        var time = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (var i = 0; i < 3; i++)
        {
            var queued = Tee(writer, live, parser, Body(time.AddSeconds(20 * i))).AsTask();
            Assert.True(queued.IsCompletedSuccessfully);
        }

        await writer.StartAsync(CancellationToken.None);
        await writer.WhenCaughtUpAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var behind = writer.Status();

        // Caught up: the next batch's line is stored.
        await Tee(writer, live, parser, Body(time.AddSeconds(60)));
        await writer.WhenCaughtUpAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(0, behind.Waits);
        Assert.Equal(3, behind.DroppedFacts); // the first gathering, taken while 39 facts waited, shed the queued lines
        Assert.Equal(3, writer.Status().DroppedFacts);
        Assert.Single(store.GetLines(App, 10));
        Assert.Equal(4, store.GetSeries(App, new("web.1"), RuntimeMetric.MemoryRss, time.AddMinutes(-1), time.AddMinutes(2)).Count);
        Assert.Equal(4, store.GetEvents(App, null, "H12", time.AddMinutes(-1), time.AddMinutes(2), 10).Count);
        Assert.Equal(40, store.ReadRollups(time.AddMinutes(-1)).Sum(r => r.Rollup.Requests));
    }

    private static ValueTask Tee(HistoryWriter writer, LiveStore live, HerokuLogParser parser, LogplexBody body)
    {
        var tee = writer.Begin(App, live.GetWriter(App));
        parser.ParseLogplexBody(body.ToBytes(), ref tee);
        return writer.EndAsync();
    }

    private static LogplexBody Body(DateTimeOffset time)
    {
        var body = new LogplexBody().Runtime(time, "web.1", load1m: 0.5, rssMb: 200, swapMb: 0);
        for (var i = 0; i < 9; i++)
        {
            body.Router(time, "web.1");
        }

        body.Router(time, "web.1", status: 503, serviceMs: 30000, code: "H12", desc: "Request timeout");
        return body.Add(190, time, "app", "web.1", "Completed 200 OK in 12ms");
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
