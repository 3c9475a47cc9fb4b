using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using DynoDashboard.Web.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DynoDashboard.Web.Tests.Ingestion;

public sealed class DrainEndpointTests
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    [Fact]
    public async Task Post_LogplexBody_Returns204AndIngestsEveryFrame()
    {
        using var factory = new DashboardFactory();
        var body = new LogplexBody().Runtime(s_t0, "web.1", 0.5, 300, 0).Router(s_t0, "web.1");

        var response = await factory.PostLogplexAndWaitAsync("myapp", body);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var status = factory.Counters.Snapshot(0, 0);
        Assert.Equal(3, status.Frames);
        Assert.Equal(2, status.LinesByKind.Runtime);
        Assert.Equal(1, status.LinesByKind.Router);
    }

    [Theory]
    [InlineData("MyApp")]
    [InlineData("my_app")]
    [InlineData("my%20app")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234x")]
    public async Task Post_InvalidAppName_Returns400Problem(string app)
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();

        var response = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest(app));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertProblemAsync(response, "Invalid app name");
    }

    [Fact]
    public async Task Post_SixtyFourCharacterAppName_IsAccepted()
    {
        using var factory = new DashboardFactory();
        var response = await factory.PostLogplexAndWaitAsync(new string('a', 64), new LogplexBody().Router(s_t0, "web.1"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Post_WithoutKey_Returns401WithChallengeAndProblem()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateClient();

        var response = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        var text = await AssertProblemAsync(response, "Missing or wrong ingest key");
        Assert.DoesNotContain(DashboardFactory.Key, text, StringComparison.Ordinal);
        Assert.Equal(1, factory.Counters.Snapshot(0, 0).Rejections.Unauthorized);
    }

    [Fact]
    public async Task Post_WrongKey_Returns401()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient("wrong-key-wrong-key-wrong");

        var response = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_KeyInQueryString_IsAccepted()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateClient();
        var request = new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp");
        request.RequestUri = new Uri($"/drain/myapp?key={DashboardFactory.Key}", UriKind.Relative);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOverLimit_Returns413Problem()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Ingest:MaxBodyBytes"] = "2048" });
        using var client = factory.CreateDrainClient();
        var body = new LogplexBody();
        for (var i = 0; i < 20; i++)
        {
            body.Router(s_t0, "web.1");
        }

        var response = await client.SendAsync(body.ToRequest("myapp"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertProblemAsync(response, "Body too large");
        Assert.Equal(1, factory.Counters.Snapshot(0, 0).Rejections.TooLarge);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverLimit_Returns413Problem()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Ingest:MaxBodyBytes"] = "2048" });
        using var client = factory.CreateDrainClient();
        // No Content-Length: the limit must hold while reading, not only from the header.
        var content = new StreamContent(new MemoryStream(new byte[10_000]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/logplex-1");
        var request = new HttpRequestMessage(HttpMethod.Post, "/drain/myapp") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_QueueFull_Returns503WithRetryAfter()
    {
        // No ingestion service: nothing drains the one-slot queue, so the second batch finds it full.
        using var factory = new DashboardFactory(
            new Dictionary<string, string?> { ["Ingest:QueueCapacity"] = "1" },
            services => services.Remove(services.Single(d => d.ImplementationType == typeof(IngestionService))));
        using var client = factory.CreateDrainClient();

        var first = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"));
        var second = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp", frameId: "RETRIED"));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        await AssertProblemAsync(second, "Ingestion queue full");
        Assert.Equal(1, factory.Counters.Snapshot(0, 0).Rejections.QueueFull);

        // The refused frame id is forgotten, so Logplex's retry of it is not mistaken for a duplicate.
        var queue = factory.Services.GetRequiredService<DrainQueue>();
        Assert.True(queue.Reader.TryRead(out var queued));
        queued!.Dispose();
        var retry = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp", frameId: "RETRIED"));
        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        Assert.Equal(0, factory.Counters.Snapshot(0, 0).DuplicateFrames);
    }

    [Fact]
    public async Task Post_QueueAlreadyFull_Answers503WithoutWaitingForTheBody()
    {
        using var factory = new DashboardFactory(
            new Dictionary<string, string?> { ["Ingest:QueueCapacity"] = "1" },
            services => services.Remove(services.Single(d => d.ImplementationType == typeof(IngestionService))));
        factory.UseKestrel(0); // a real socket: the test server would not answer before the request body ends
        using var client = factory.CreateDrainClient();
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"))).StatusCode);

        // Headers that announce 100 KB, then one frame and nothing more: the answer can only come from before the
        // body is read. A raw socket, so no client library waits to finish sending first.
        var frame = new LogplexBody().Router(s_t0, "web.2").ToBytes();
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(client.BaseAddress!.Host, client.BaseAddress.Port);
        var stream = socket.GetStream();
        var head = "POST /drain/myapp HTTP/1.1\r\nHost: localhost\r\n" +
            $"Authorization: {client.DefaultRequestHeaders.Authorization}\r\n" +
            $"Content-Type: {DrainEndpoint.LogplexContentType}\r\nLogplex-Frame-Id: STALLED\r\nContent-Length: 102400\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(frame);

        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("HTTP/1.1 503 Service Unavailable", statusLine);
        var status = factory.Counters.Snapshot(0, 0);
        Assert.Equal(1, status.Rejections.QueueFull);
        Assert.Equal(2, status.BatchesReceived);
    }

    [Fact]
    public async Task Post_RepeatedFrameId_Returns204AndIsProcessedOnce()
    {
        using var factory = new DashboardFactory();
        var body = new LogplexBody().Router(s_t0, "web.1").Router(s_t0, "web.2");
        const string frameId = "6A3C1A5B0E4F4B7C9D2E1F0A3B4C5D6E";

        await factory.PostLogplexAndWaitAsync("myapp", body, frameId);
        using var client = factory.CreateDrainClient();
        var retry = await client.SendAsync(body.ToRequest("myapp", frameId));
        // A third, different batch proves the queue has moved past anything the retry could have queued.
        await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0, "web.3"));

        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        var status = factory.Counters.Snapshot(0, 0);
        Assert.Equal(1, status.DuplicateFrames);
        Assert.Equal(3, status.LinesByKind.Router);
        Assert.Equal(2, status.BatchesProcessed);
    }

    [Fact]
    public async Task Post_SameFrameIdForAnotherApp_IsNotADuplicate()
    {
        using var factory = new DashboardFactory();
        var body = new LogplexBody().Router(s_t0, "web.1");

        await factory.PostLogplexAndWaitAsync("app-one", body, "SAMEID");
        var other = await factory.PostLogplexAndWaitAsync("app-two", body, "SAMEID");

        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
        Assert.Equal(0, factory.Counters.Snapshot(0, 0).DuplicateFrames);
    }

    [Fact]
    public async Task Post_MessageCountDisagrees_Returns204AndCountsMismatch()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();
        var before = factory.Counters.BatchesProcessed;

        var response = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp", declaredCount: 5));
        await factory.Counters.WaitForProcessedAsync(before + 1).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, factory.Counters.Snapshot(0, 0).CountMismatches);
    }

    [Fact]
    public async Task Post_WithoutLogplexHeaders_IsAccepted()
    {
        // Private Space drains send no Logplex-* headers.
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();
        var content = new ByteArrayContent(new LogplexBody().Router(s_t0, "web.1").ToBytes());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/logplex-1");
        var before = factory.Counters.BatchesProcessed;

        var response = await client.PostAsync(new Uri("/drain/myapp", UriKind.Relative), content);
        await factory.Counters.WaitForProcessedAsync(before + 1).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, factory.Counters.Snapshot(0, 0).LinesByKind.Router);
    }

    [Fact]
    public async Task Post_WrongContentType_Returns415Problem()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();

        var response = await client.PostAsync(new Uri("/drain/myapp", UriKind.Relative),
            JsonContent.Create(new { hello = "world" }));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertProblemAsync(response, "Unsupported content type");
    }

    [Fact]
    public async Task Post_TextPlainHerokuLogsOutput_IsImported()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();
        var cli = $"""
            {TestTime.At(10).AddSeconds(0):yyyy-MM-ddTHH:mm:ss}.000000+00:00 heroku[web.1]: source=web.1 dyno=heroku.1.abc sample#load_avg_1m=0.42 sample#load_avg_5m=0.30 sample#load_avg_15m=0.20
            {TestTime.At(10).AddSeconds(0):yyyy-MM-ddTHH:mm:ss}.000000+00:00 heroku[web.1]: source=web.1 dyno=heroku.1.abc sample#memory_total=300.00MB sample#memory_rss=280.00MB sample#memory_cache=20.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=100pages sample#memory_pgpgout=50pages sample#memory_quota=512.00MB
            {TestTime.At(10).AddSeconds(1):yyyy-MM-ddTHH:mm:ss}.000000+00:00 heroku[router]: at=info method=GET path="/" host=myapp.herokuapp.com request_id=1 fwd="1.2.3.4" dyno=web.1 connect=1ms service=20ms status=200 bytes=100 protocol=https
            {TestTime.At(10).AddSeconds(2):yyyy-MM-ddTHH:mm:ss}.000000+00:00 app[web.1]: Completed 200 OK in 12ms
            """;
        var before = factory.Counters.BatchesProcessed;

        var response = await client.PostAsync(new Uri("/drain/myapp", UriKind.Relative),
            new StringContent(cli, Encoding.UTF8, "text/plain"));
        await factory.Counters.WaitForProcessedAsync(before + 1).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var api = factory.CreateClient(); // the API takes an API key, not the ingest key
        var dynos = await api.GetFromJsonAsync<List<DynoDashboard.Web.Api.DynoResponse>>("/api/apps/myapp/dynos");
        var web1 = Assert.Single(dynos!);
        Assert.Equal("web.1", web1.Name);
        Assert.Equal(0.42, web1.Load1m);
        Assert.Equal(280.0, web1.MemoryRssMb);
        Assert.Equal(1, web1.Requests);
    }

    [Fact]
    public async Task Post_GarbageBody_DoesNotStopIngestionOfLaterBatches()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateDrainClient();
        var garbage = new ByteArrayContent([0xFF, 0xFE, 0x00, 0x39, 0x39, 0x39, 0x39, 0x20, 0x3C, 0xC3, 0x28]);
        garbage.Headers.ContentType = new MediaTypeHeaderValue("application/logplex-1");
        var before = factory.Counters.BatchesProcessed;

        var bad = await client.PostAsync(new Uri("/drain/myapp", UriKind.Relative), garbage);
        await factory.Counters.WaitForProcessedAsync(before + 1).WaitAsync(TimeSpan.FromSeconds(10));
        var good = await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0, "web.1"));

        Assert.Equal(HttpStatusCode.NoContent, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        var status = factory.Counters.Snapshot(0, 0);
        Assert.True(status.UnparsableFrames >= 1);
        Assert.Equal(1, status.LinesByKind.Router);
    }

    internal static async Task<string> AssertProblemAsync(HttpResponseMessage response, string title)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains($"\"title\":\"{title}\"", text, StringComparison.Ordinal);
        return text;
    }
}
