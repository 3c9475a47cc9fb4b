using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using DynoDashboard.Web.Api;

namespace DynoDashboard.Web.Tests.Ingestion;

/// <summary>
/// A fuzz-style corpus generated here (seeded, so a failure reproduces): every request gets a 2xx, or a 4xx with
/// problem+json, the server stays healthy, and good frames inside a bad body are still ingested.
/// </summary>
public sealed class DrainBadInputTests
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);
    private static readonly byte[] s_twoRouterLines = new LogplexBody().Router(s_t0, "web.1").Router(s_t0, "web.2").ToBytes();

    [Fact]
    public async Task Post_GeneratedBadCorpus_Answers2xxOr4xxProblemAndStaysHealthy()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();
        var corpus = BadInput.Corpus(new Random(8)).ToList();
        Assert.True(corpus.Count > 80);

        var failures = new List<string>();
        foreach (var (name, make) in corpus)
        {
            using var request = make();
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var ok = status is >= 200 and < 300 ||
                (status is >= 400 and < 500 && response.Content.Headers.ContentType?.MediaType == "application/problem+json");
            if (!ok)
            {
                failures.Add($"{name}: {status} {response.Content.Headers.ContentType}");
            }
        }

        Assert.Empty(failures);
        await AssertStillIngestsAsync(factory);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_TenMegabyteSingleLine_Returns413Problem(bool declareLength)
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();
        var line = Encoding.ASCII.GetBytes($"10485760 <190>1 {TestTime.SyslogTen} host app web.1 - ")
            .Concat(Enumerable.Repeat((byte)'a', 10 * 1024 * 1024)).ToArray();

        using var response = await client.PostAsync(new Uri("/drain/myapp", UriKind.Relative), BadInput.Logplex(line, declareLength));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertStillIngestsAsync(factory);
    }

    [Fact]
    public async Task Post_HundredThousandTinyFrames_AreAllCounted()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Ingest:MaxBodyBytes"] = (16 * 1024 * 1024).ToString(CultureInfo.InvariantCulture) });
        var body = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            // The smallest frames that still look like frames: "<pri>1 " after the count.
            var message = $"<190>1 {TestTime.SyslogTen} host app w.{i % 10} - {(char)('a' + (i % 26))}\n";
            body.Append(message.Length).Append(' ').Append(message);
        }

        using var client = factory.CreateDrainClient();
        var before = factory.Counters.BatchesProcessed;
        using var response = await client.PostAsync(new Uri("/drain/tiny", UriKind.Relative), BadInput.Logplex(Encoding.ASCII.GetBytes(body.ToString())));
        await factory.Counters.WaitForProcessedAsync(before + 1).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(100_000, factory.Counters.Snapshot(0, 0).Frames);
    }

    [Fact]
    public async Task Post_PartlyBadBody_StillIngestsTheGoodFrames()
    {
        using var factory = new DashboardFactory();
        var good = new LogplexBody().Runtime(s_t0, "web.1", 0.5, 300, 0);
        for (var i = 0; i < 5; i++)
        {
            good.Router(s_t0.AddSeconds(i), "web.1", serviceMs: 10 + i);
        }

        var frames = BadInput.SplitFrames(good.ToBytes());
        var rng = new Random(3);
        var mixed = new List<byte>();
        foreach (var frame in frames)
        {
            mixed.AddRange(frame);
            mixed.AddRange(BadInput.Garbage(rng)); // damage between every pair of good frames
        }

        using var client = factory.CreateDrainClient();
        var before = factory.Counters.BatchesProcessed;
        using var response = await client.PostAsync(new Uri("/drain/mixed", UriKind.Relative), BadInput.Logplex([.. mixed]));
        await factory.Counters.WaitForProcessedAsync(before + 1).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var api = factory.CreateClient();
        var dynos = await api.GetFromJsonAsync<List<DynoResponse>>("/api/apps/mixed/dynos");
        var web1 = Assert.Single(dynos!);
        Assert.Equal(5, web1.Requests);
        Assert.Equal(300.0, web1.MemoryRssMb);
        Assert.Equal(0.5, web1.Load1m);
    }

    [Fact]
    public async Task Post_SlowUploadInSmallChunks_IsAccepted()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();
        var before = factory.Counters.BatchesProcessed;

        using var response = await client.PostAsync(new Uri("/drain/slow", UriKind.Relative), new DribbleContent(s_twoRouterLines, chunk: 3));
        await factory.Counters.WaitForProcessedAsync(before + 1).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(2, factory.Counters.Snapshot(0, 0).LinesByKind.Router);
    }

    [Fact]
    public async Task Post_UploadFailingMidway_LeavesTheServerHealthy()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();

        await Assert.ThrowsAnyAsync<Exception>(() => client.PostAsync(new Uri("/drain/aborted", UriKind.Relative),
            new DribbleContent(s_twoRouterLines, chunk: 16, failAfter: 40)).WaitAsync(TimeSpan.FromSeconds(20)));

        await AssertNothingFromAbortedAsync(factory);
    }

    [Fact]
    public async Task Post_UploadStalledMidway_DoesNotHoldUpOthers_AndItsAbortIsHarmless()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var upload = client.PostAsync(new Uri("/drain/aborted", UriKind.Relative), new DribbleContent(s_twoRouterLines, chunk: 16,
            stallAfter: 40, onStall: async () =>
            {
                stalled.SetResult();
                await release.Task;
                throw new IOException("the client gave up");
            }));
        await stalled.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await AssertStillIngestsAsync(factory); // served while the other upload hangs half-way
        release.SetResult();

        await Assert.ThrowsAnyAsync<Exception>(() => upload.WaitAsync(TimeSpan.FromSeconds(20)));
        await AssertNothingFromAbortedAsync(factory);
    }

    private static async Task AssertNothingFromAbortedAsync(DashboardFactory factory)
    {
        await AssertStillIngestsAsync(factory);
        using var api = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(new Uri("/api/apps/aborted/dynos", UriKind.Relative))).StatusCode);
    }

    /// <summary>A valid body after the bad ones is still ingested, and the health check answers.</summary>
    internal static async Task AssertStillIngestsAsync(DashboardFactory factory)
    {
        var response = await factory.PostLogplexAndWaitAsync("after", new LogplexBody().Router(s_t0, "web.9"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var api = factory.CreateClient();
        var dynos = await api.GetFromJsonAsync<List<DynoResponse>>("/api/apps/after/dynos");
        Assert.Equal("web.9", Assert.Single(dynos!).Name);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }
}
