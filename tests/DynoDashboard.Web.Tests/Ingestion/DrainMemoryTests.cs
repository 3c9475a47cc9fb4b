using System.Net;
using System.Text;

namespace DynoDashboard.Web.Tests.Ingestion;

[CollectionDefinition(nameof(DrainMemoryTests), DisableParallelization = true)]
public sealed class DrainMemoryRunsAlone;

/// <summary>Alone in its collection: the GC heap is shared by every test running at the same time.</summary>
[Collection(nameof(DrainMemoryTests))]
public sealed class DrainMemoryTests
{
    private const long Mib = 1024 * 1024;

    [Fact]
    public async Task Post_HundredsOfMegabytesOfBadInput_KeepsTheHeapBounded()
    {
        // History's line queue and stored lines at a tenth of their defaults: each body here is ~14,000 raw lines, and
        // the queue and the stored lines (with LiteDB's page cache, which grows with them) must be full well before
        // the halfway mark for the second half to show that input no longer grows the heap. At the defaults they can
        // still be filling at round 150, depending on how fast the writer is next to ingestion.
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["Storage:QueueFacts"] = "20000",
            ["Storage:MaxLogLines"] = "10000",
        });
        using var client = factory.CreateDrainClient();
        await DrainBadInputTests.AssertStillIngestsAsync(factory); // warm up: host, store and pools exist
        var rng = new Random(11);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long sent = 0;
        long halfway = 0;

        // Too-large bodies first: the pooled buffers they warm are bounded by the pool, not by input.
        for (var i = 0; i < 10; i++)
        {
            using var tooBig = await client.PostAsync(new Uri("/drain/mem", UriKind.Relative),
                BadInput.Logplex(new byte[10 * Mib], declareLength: i % 2 == 0));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
            sent += 10 * Mib;
        }

        for (var round = 0; round < 250; round++)
        {
            if (round == 150)
            {
                // By now every bounded buffer (live lines, history queue, LiteDB cache) has filled to its capacity.
                halfway = GC.GetTotalMemory(forceFullCollection: true);
            }

            // Near the 1 MiB limit: garbage mixed with frames and bad counts, each body different.
            var body = new StringBuilder();
            while (body.Length < 1_000_000)
            {
                body.Append(rng.Next(-5, 400)).Append(" <190>1 " + TestTime.SyslogTen + " host app web.").Append(rng.Next(1000))
                    .Append(" - k=\"").Append(rng.Next()).Append('\n');
            }

            var bytes = Encoding.ASCII.GetBytes(body.ToString());
            sent += bytes.Length;
            var before2 = factory.Counters.BatchesProcessed;
            using var response = await client.PostAsync(new Uri("/drain/mem", UriKind.Relative), BadInput.Logplex(bytes));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            await factory.Counters.WaitForProcessedAsync(before2 + 1).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(sent > 250 * Mib);
        // Bounded, not following input: the second 100 MiB of input must not grow the heap further, and the whole
        // growth stays within what the configured capacities allow.
        // (Measured: the heap climbs for ~100 MiB of input while the buffers fill, then stays within ±2 MiB.)
        Assert.True(after - halfway < 16 * Mib, $"heap grew by {(after - halfway) / Mib} MiB over the last 100 MiB of input");
        Assert.True(after - before < 192 * Mib, $"heap grew by {(after - before) / Mib} MiB after {sent / Mib} MiB of input");
    }
}
