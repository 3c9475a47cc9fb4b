using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DynoDashboard.Web.Api;

namespace DynoDashboard.Web.Tests.Api;

public sealed class DynoApiTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);
    private readonly DashboardFactory _factory = new();

    [Fact]
    public async Task Dynos_AfterLogplexBodies_ReportEachDynoApartFromItsNewestSample()
    {
        var body = new LogplexBody()
            .Runtime(s_t0, "web.1", load1m: 0.20, rssMb: 250, swapMb: 0)
            .Runtime(s_t0.AddSeconds(20), "web.1", load1m: 0.30, rssMb: 260, swapMb: 0)
            .Runtime(s_t0, "web.2", load1m: 2.50, rssMb: 505, swapMb: 180, incarnation: "heroku.145151706.22222222-bbbb-cccc-dddd-eeeeeeeeeeee")
            .Router(s_t0, "web.1", status: 200, serviceMs: 30)
            .Router(s_t0.AddSeconds(1), "web.1", status: 200, serviceMs: 40)
            .Router(s_t0.AddSeconds(2), "web.2", status: 503, serviceMs: 30000, code: "H12", desc: "Request timeout")
            .Router(s_t0.AddSeconds(3), "web.2", status: 503, serviceMs: 0, code: "H13", desc: "Connection closed without response")
            .Router(s_t0.AddSeconds(4), "web.2", status: 200, serviceMs: 900);
        await _factory.PostLogplexAndWaitAsync("myapp", body);
        // A late, older sample for web.1 must not replace its newest one.
        await _factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Runtime(s_t0.AddSeconds(-60), "web.1", 9.99, 999, 99));
        using var client = _factory.CreateClient();

        var dynos = await client.GetFromJsonAsync<List<DynoResponse>>("/api/apps/myapp/dynos");

        Assert.NotNull(dynos);
        Assert.Equal(["web.1", "web.2"], dynos.Select(d => d.Name));
        var web1 = dynos[0];
        Assert.Equal("web", web1.ProcessType);
        Assert.Equal(0.30, web1.Load1m);
        Assert.Equal(260.0, web1.MemoryRssMb);
        Assert.Equal(0.0, web1.MemorySwapMb);
        Assert.Equal(512.0, web1.MemoryQuotaMb);
        Assert.Equal(2, web1.Requests);
        Assert.Equal(0, web1.Errors);
        var web2 = dynos[1];
        Assert.Equal(2.50, web2.Load1m);
        Assert.Equal(180.0, web2.MemorySwapMb);
        Assert.Equal("heroku.145151706.22222222-bbbb-cccc-dddd-eeeeeeeeeeee", web2.Incarnation);
        Assert.Equal(3, web2.Requests);
        Assert.Equal(2, web2.Errors);
    }

    [Fact]
    public async Task Dynos_UseCamelCaseAndNullForMissingMetrics()
    {
        await _factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0, "web.3"));
        using var client = _factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/apps/myapp/dynos", UriKind.Relative)));

        var dyno = json.RootElement[0];
        Assert.Equal("web.3", dyno.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, dyno.GetProperty("load1m").ValueKind);
        Assert.Equal(JsonValueKind.Null, dyno.GetProperty("memorySwapMb").ValueKind);
        Assert.Equal(1, dyno.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Apps_ListsEachAppWithDynoCountAndLastSeen()
    {
        await _factory.PostLogplexAndWaitAsync("app-a", new LogplexBody().Router(s_t0, "web.1").Router(s_t0.AddMinutes(1), "web.2"));
        await _factory.PostLogplexAndWaitAsync("app-b", new LogplexBody().Runtime(s_t0, "worker.1", 0.1, 100, 0));
        using var client = _factory.CreateClient();

        var apps = await client.GetFromJsonAsync<List<AppResponse>>("/api/apps");

        Assert.NotNull(apps);
        Assert.Equal(["app-a", "app-b"], apps.Select(a => a.Name));
        Assert.Equal(2, apps[0].DynoCount);
        Assert.Equal(s_t0.AddMinutes(1), apps[0].LastSeen);
        Assert.Equal(1, apps[1].DynoCount);
    }

    [Fact]
    public async Task Series_ReturnsTheMetricOverTime()
    {
        var body = new LogplexBody();
        for (var i = 0; i < 5; i++)
        {
            body.Runtime(s_t0.AddSeconds(20 * i), "web.2", 1.0, 500, swapMb: 10 * i);
        }

        await _factory.PostLogplexAndWaitAsync("myapp", body);
        using var client = _factory.CreateClient();

        var series = await client.GetFromJsonAsync<SeriesResponse>("/api/apps/myapp/dynos/web.2/series?metric=memory_swap");
        var window = await client.GetFromJsonAsync<SeriesResponse>(
            $"/api/apps/myapp/dynos/web.2/series?metric=memory_swap&from={Uri.EscapeDataString(s_t0.AddSeconds(20).ToString("O"))}&to={Uri.EscapeDataString(s_t0.AddSeconds(60).ToString("O"))}");

        Assert.Equal("memory_swap", series!.Metric);
        Assert.Equal("MB", series.Unit);
        Assert.Equal([0.0, 10, 20, 30, 40], series.Points.Select(p => p.V));
        Assert.Equal(s_t0.AddSeconds(80), series.Points[^1].T);
        Assert.Equal([10.0, 20, 30], window!.Points.Select(p => p.V));
    }

    [Fact]
    public async Task Events_ReturnsErrorsNewestFirstAndFiltersByDynoAndCode()
    {
        var body = new LogplexBody()
            .Router(s_t0, "web.2", 503, serviceMs: 30000, code: "H12", desc: "Request timeout")
            .Router(s_t0.AddSeconds(1), "web.1", 503, serviceMs: 5000, code: "H19", desc: "Backend connection timeout")
            .Router(s_t0.AddSeconds(2), "web.2", 503, serviceMs: 0, code: "H13", desc: "Connection closed without response")
            .Add(134, s_t0.AddSeconds(3), "heroku", "web.2", "Process running mem=600M(117.2%)")
            .Add(134, s_t0.AddSeconds(3), "heroku", "web.2", "Error R14 (Memory quota exceeded)");
        await _factory.PostLogplexAndWaitAsync("myapp", body);
        using var client = _factory.CreateClient();

        var all = await client.GetFromJsonAsync<List<EventResponse>>("/api/apps/myapp/events");
        var web2 = await client.GetFromJsonAsync<List<EventResponse>>("/api/apps/myapp/events?dyno=web.2");
        var h12 = await client.GetFromJsonAsync<List<EventResponse>>("/api/apps/myapp/events?code=H12&limit=10");

        Assert.True(all!.Count >= 4);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Time >= p.Second.Time), "events must come newest first");
        Assert.All(web2!, e => Assert.Equal("web.2", e.Dyno));
        Assert.Contains(web2!, e => e.Code == "R14" && e.Description.Contains("Memory quota exceeded", StringComparison.Ordinal));
        var timeout = Assert.Single(h12!);
        Assert.Equal("web.2", timeout.Dyno);
        Assert.Equal("RouterError", timeout.Kind);
        Assert.Contains("Request timeout", timeout.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/apps/nope/dynos", "Unknown app")]
    [InlineData("/api/apps/nope/events", "Unknown app")]
    [InlineData("/api/apps/nope/dynos/web.1/series?metric=memory_swap", "Unknown app")]
    [InlineData("/api/apps/myapp/dynos/web.9/series?metric=memory_swap", "Unknown dyno")]
    [InlineData("/api/apps/myapp/events?dyno=web.9", "Unknown dyno")]
    [InlineData("/api/nothing-here", "No such API endpoint")]
    public async Task UnknownAppOrDyno_Returns404Problem(string url, string title)
    {
        await _factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0, "web.1"));
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Ingestion.DrainEndpointTests.AssertProblemAsync(response, title);
    }

    [Theory]
    [InlineData("/api/apps/myapp/dynos/web.1/series?metric=sample%23memory_swap", "Unknown metric")]
    [InlineData("/api/apps/myapp/dynos/web.1/series?metric=memory_swap&from=yesterday", "Invalid time range")]
    [InlineData("/api/apps/myapp/events?limit=0", "Invalid limit")]
    public async Task BadQuery_Returns400Problem(string url, string title)
    {
        await _factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0, "web.1"));
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Ingestion.DrainEndpointTests.AssertProblemAsync(response, title);
    }

    [Fact]
    public async Task Status_CountsBatchesLinesAndQueue()
    {
        await _factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0, "web.1").Runtime(s_t0, "web.1", 1, 1, 0));
        using var client = _factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/status", UriKind.Relative)));

        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("batchesReceived").GetInt64());
        Assert.Equal(3, root.GetProperty("linesParsed").GetInt64());
        Assert.Equal(1, root.GetProperty("linesByKind").GetProperty("router").GetInt64());
        Assert.Equal(2, root.GetProperty("linesByKind").GetProperty("runtime").GetInt64());
        Assert.Equal(0, root.GetProperty("queueDepth").GetInt32());
        Assert.True(root.GetProperty("rejections").TryGetProperty("queueFull", out _));
    }

    [Fact]
    public async Task ErrorsOutsideTheApi_AreHtmlForPagesAndProblemJsonForTheDrain()
    {
        using var client = await _factory.CreateSignedInClientAsync();

        var page = await client.GetAsync(new Uri("/no-such-page", UriKind.Relative));
        var drain = await client.GetAsync(new Uri("/drain/myapp", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Not Found", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(drain.IsSuccessStatusCode);
        Assert.Equal("application/problem+json", drain.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Healthz_Returns200()
    {
        using var client = _factory.CreateClient();
        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}
