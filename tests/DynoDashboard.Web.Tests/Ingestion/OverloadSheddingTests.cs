using System.Net;
using System.Text.Json;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DynoDashboard.Web.Tests.Ingestion;

/// <summary>
/// Overload (issue 8): with the drain queue over its high-water mark, plain router and app lines are shed from the
/// recent-lines buffer and history, while samples, error events and router rollup counts arrive in full and every
/// shed line is counted in <c>/api/status</c>. Overload is made deterministic by holding the consumer back until
/// the queue is full, instead of racing a load against it.
/// </summary>
public sealed class OverloadSheddingTests
{
    private const string App = "overloaded";
    private const int Capacity = 8;
    private const int PlainRouterLinesPerBatch = 20;
    private static readonly string[] Dynos = ["web.1", "web.2", "web.3"];

    [Fact]
    public async Task Drain_QueueFullWithConsumerHeld_ShedsPlainLinesButKeepsSamplesEventsAndExactRollups()
    {
        // Shed above 4 of 8 queued batches, stop at 2 or fewer.
        using var factory = new DashboardFactory(
            new Dictionary<string, string?>
            {
                ["Ingest:QueueCapacity"] = Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Ingest:ShedAtQueuePercent"] = "50",
            },
            services => services.Remove(services.Single(d =>
                d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(IngestionService))));
        var start = Now();
        using var drain = factory.CreateDrainClient();

        for (var i = 0; i < Capacity; i++)
        {
            using var accepted = await drain.SendAsync(Batch(At(start, i)).ToRequest(App));
            Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        }

        // Past capacity the drain still answers 503 so Logplex retries (its behaviour is unchanged by shedding).
        using (var refused = await drain.SendAsync(Batch(At(start, Capacity)).ToRequest(App)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        var consumer = ActivatorUtilities.CreateInstance<IngestionService>(factory.Services);
        await consumer.StartAsync(CancellationToken.None);
        try
        {
            await factory.Counters.WaitForProcessedAsync(Capacity).WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await consumer.StopAsync(CancellationToken.None);
            consumer.Dispose();
        }

        // Depths seen by batches 1..8 are 8..1: shedding from 8 (> 4) down to 3 (still > 2), then off.
        const int shedBatches = 6;
        var store = factory.Services.GetRequiredService<LiveStore>();

        // Every runtime sample arrived: the newest sample of each dyno is the last batch's.
        var dynos = store.GetDynos(App)!;
        foreach (var name in Dynos)
        {
            var dyno = dynos.Single(d => d.Name.Value == name);
            Assert.Equal(At(start, Capacity - 1), dyno.Latest!.Value.Time);
            Assert.Equal(Capacity, store.GetSeries(App, dyno.Name, RuntimeMetric.LoadAvg1m, start, start.AddMinutes(5))!.Count);
        }

        // Every router error became an event, shedding or not.
        Assert.Equal(Capacity, store.GetEvents(App, null, "H12", 1000)!.Count);

        // Rollups count every router line, the shed ones included.
        var requests = 0;
        var errors = 0;
        foreach (var dyno in dynos)
        {
            var rollup = RouterRollupSnapshot.Merge(start, start.AddMinutes(5),
                store.GetRollups(App, dyno.Name, start.AddMinutes(-1), start.AddMinutes(5))!);
            requests += rollup.Requests;
            errors += rollup.Errors;
        }

        Assert.Equal(Capacity * (PlainRouterLinesPerBatch + 1), requests);
        Assert.Equal(Capacity, errors);

        // Recent lines: shed batches kept only samples and errors; the two calm batches kept everything.
        var lines = store.GetRecentLines(App, 10_000)!;
        Assert.Equal(Capacity * 2 * Dynos.Length, lines.Count(l => l.Kind == LineKind.Runtime));
        Assert.Equal((Capacity - shedBatches) * PlainRouterLinesPerBatch + Capacity,
            lines.Count(l => l.Kind == LineKind.Router));
        Assert.Equal(Capacity - shedBatches, lines.Count(l => l.Kind == LineKind.App));

        // History kept every sample, request fact and event, and only the calm batches' app lines.
        var history = factory.Services.GetRequiredService<HistoryWriter>().Status();
        var factsPerBatch = (2 * Dynos.Length) + (PlainRouterLinesPerBatch + 1) + 1;
        Assert.Equal(0, history.DroppedFacts);
        Assert.Equal((Capacity * factsPerBatch) + (Capacity - shedBatches), history.AcceptedFacts);

        // And /api/status says what was shed.
        using var api = factory.CreateClient();
        using var status = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
        var shedding = status.RootElement.GetProperty("shedding");
        Assert.False(shedding.GetProperty("active").GetBoolean());
        Assert.Equal(shedBatches, shedding.GetProperty("batches").GetInt64());
        Assert.Equal(shedBatches * PlainRouterLinesPerBatch, shedding.GetProperty("routerLines").GetInt64());
        Assert.Equal(shedBatches, shedding.GetProperty("appLines").GetInt64());
        Assert.Equal(shedBatches * (PlainRouterLinesPerBatch + 1), shedding.GetProperty("lines").GetInt64());
        Assert.Equal(Capacity * 2 * Dynos.Length, status.RootElement.GetProperty("linesByKind").GetProperty("runtime").GetInt64());
    }

    [Fact]
    public async Task Drain_ShedAtZeroPercent_ShedsEveryBatchAndReportsItActive()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Ingest:ShedAtQueuePercent"] = "0" });
        var start = Now();

        using var response = await factory.PostLogplexAndWaitAsync(App, Batch(start));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var status = factory.Counters.Snapshot(0, 1).Shedding;
        Assert.True(status.Active);
        Assert.Equal(1, status.Batches);
        Assert.Equal(PlainRouterLinesPerBatch, status.RouterLines);
        Assert.Equal(1, status.AppLines);
        var lines = factory.Services.GetRequiredService<LiveStore>().GetRecentLines(App, 1000)!;
        Assert.DoesNotContain(lines, l => l.Kind == LineKind.App);
        Assert.Single(lines, l => l.Kind == LineKind.Router);
    }

    [Fact]
    public async Task Drain_QueueBelowHighWater_KeepsEveryLine()
    {
        using var factory = new DashboardFactory();
        var start = Now();

        await factory.PostLogplexAndWaitAsync(App, Batch(start));

        var status = factory.Counters.Snapshot(0, 1).Shedding;
        Assert.False(status.Active);
        Assert.Equal(0, status.Lines);
        var lines = factory.Services.GetRequiredService<LiveStore>().GetRecentLines(App, 1000)!;
        Assert.Equal(PlainRouterLinesPerBatch + 1, lines.Count(l => l.Kind == LineKind.Router));
        Assert.Single(lines, l => l.Kind == LineKind.App);
    }

    // Whole seconds, a few minutes back so that every batch's time is in the past.
    private static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddMinutes(-5);
    }

    // Batches 20 s apart, Heroku's runtime-metrics cadence, so each batch's samples are a sample of their own.
    private static DateTimeOffset At(DateTimeOffset start, int batch) => start.AddSeconds(20 * batch);

    /// <summary>One drain batch: a runtime sample per dyno, plain router lines, one H12 and one app line.</summary>
    private static LogplexBody Batch(DateTimeOffset time)
    {
        var body = new LogplexBody();
        foreach (var dyno in Dynos)
        {
            body.Runtime(time, dyno, load1m: 0.5, rssMb: 200, swapMb: 0);
        }

        for (var i = 0; i < PlainRouterLinesPerBatch; i++)
        {
            body.Router(time, Dynos[i % Dynos.Length]);
        }

        body.Router(time, "web.1", status: 503, serviceMs: 30000, code: "H12", desc: "Request timeout");
        return body.Add(190, time, "app", "web.1", "Completed 200 OK in 12ms");
    }
}
