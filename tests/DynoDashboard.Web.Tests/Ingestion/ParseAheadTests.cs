using System.Net;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Ingestion;

/// <summary>Bodies parsed on several threads are still applied in the order they were queued.</summary>
public sealed class ParseAheadTests
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Post_ManyBodiesInSequence_AppliedInQueueOrderAndCheckpointedToTheLast(int parseWorkers)
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Ingest:ParseWorkers"] = $"{parseWorkers}" });
        using var client = factory.CreateDrainClient();
        const int bodies = 60;
        for (var n = 0; n < bodies; n++)
        {
            // Bodies of different sizes, so a later one often finishes parsing before an earlier one.
            var body = new LogplexBody();
            for (var filler = 0; filler < (n % 3) * 40; filler++)
            {
                body.Router(s_t0.AddSeconds(n), "web.1");
            }

            // One timestamp for every app line: only the order they were applied in orders them in the buffer.
            body.Add(190, s_t0, "app", "web.1", $"line {n}").Runtime(s_t0.AddSeconds(2 * n), "web.1", n, 300, 0);
            var response = await client.SendAsync(body.ToRequest("ordered"));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await factory.Counters.WaitForProcessedAsync(bodies).WaitAsync(TimeSpan.FromSeconds(20));

        var live = factory.Services.GetRequiredService<LiveStore>();
        var newestFirst = live.GetRecentLines("ordered", 10_000)!.Where(l => l.Kind == LineKind.App).Select(l => l.Message);
        Assert.Equal(Enumerable.Range(0, bodies).Reverse().Select(n => $"line {n}"), newestFirst);
        var load = live.GetSeries("ordered", new DynoName("web.1"), RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddMinutes(5))!;
        Assert.Equal(Enumerable.Range(0, bodies).Select(n => (double)n), load.Select(p => p.V));

        // History's checkpoint reaches the last body's journal position: every body was handed to it, in order.
        await factory.WaitUntilHistoryWrittenAsync();
        var status = factory.Services.GetRequiredService<HistoryWriter>().Status();
        var journal = factory.Services.GetRequiredService<DrainJournal>();
        Assert.Equal(journal.Position, status.JournalCheckpoint);
    }
}
