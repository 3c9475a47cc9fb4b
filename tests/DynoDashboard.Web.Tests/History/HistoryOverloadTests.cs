using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.History;
using DynoDashboard.Web.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Tests.History;

/// <summary>
/// A history queue with no room left keeps a batch's samples and events and drops only its router facts and lines
/// (issue 8, overload). The writer is never started, so nothing drains the queue and the test is deterministic.
/// </summary>
public sealed class HistoryOverloadTests : IDisposable
{
    private const string App = "overloaded";
    private readonly string _folder = DashboardFactory.NewDataFolder();

    [Fact]
    public void End_QueueFactsFull_KeepsSamplesAndEventsDropsRequestsAndLines()
    {
        Directory.CreateDirectory(_folder);
        using var store = new LiteDbHistoryStore(Path.Combine(_folder, "dynodash.db"), 1_000);
        var live = new LiveStore(new LiveStoreOptions());
        // Room for one batch of 2 samples + 10 requests + 1 error event + 1 app line = 14 facts, not two; the
        // priority reserve is an eighth of 24 = 3 facts, enough for the second batch's samples and event.
        var writer = new HistoryWriter(store, live, Options.Create(new LiveStoreOptions()),
            Options.Create(new StorageOptions { QueueFacts = 24, QueueCapacity = 8 }), TimeProvider.System,
            NullLogger<HistoryWriter>.Instance);
        var parser = new HerokuLogParser();
        var time = DateTimeOffset.UtcNow.AddMinutes(-1);

        Tee(writer, live, parser, Body(time));
        Tee(writer, live, parser, Body(time.AddSeconds(20)));

        var status = writer.Status();
        Assert.Equal(2, status.QueueDepth);
        Assert.Equal(1, status.PriorityOnlyBatches);
        Assert.Equal(0, status.DroppedBatches);
        Assert.Equal(14 + 3, status.AcceptedFacts); // the second batch: its 2 samples and 1 event
        Assert.Equal(10 + 1, status.DroppedFacts); // and not its 10 router facts and 1 app line
        writer.Dispose();
    }

    private static void Tee(HistoryWriter writer, LiveStore live, HerokuLogParser parser, LogplexBody body)
    {
        var tee = writer.Begin(App, live.GetWriter(App));
        try
        {
            parser.ParseLogplexBody(body.ToBytes(), ref tee);
        }
        finally
        {
            writer.End();
        }
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
