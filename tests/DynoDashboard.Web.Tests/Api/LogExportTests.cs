using System.Globalization;
using System.Net;
using System.Text.Json;

namespace DynoDashboard.Web.Tests.Api;

public sealed class LogExportTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);
    private readonly DashboardFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var body = new LogplexBody()
            .Router(s_t0, "web.1", status: 200, serviceMs: 40, path: "/a")
            .Router(s_t0.AddSeconds(1), "web.2", status: 503, serviceMs: 30000, path: "/slow", code: "H12", desc: "Request timeout")
            .Router(s_t0.AddSeconds(2), "web.2", status: 200, serviceMs: 6000, path: "/b")
            .Runtime(s_t0.AddSeconds(3), "web.2", load1m: 1.5, rssMb: 500, swapMb: 42)
            .Add(190, s_t0.AddSeconds(4), "app", "web.1", "level=warn msg=\"cart, \\\"big\\\" order\" order_id=7");
        await _factory.PostLogplexAndWaitAsync("myapp", body);
        _client = _factory.CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task Logs_JsonWithQuery_ReturnsMatchingRowsNewestFirstWithTheirFields()
    {
        using var response = await _client.GetAsync(Url("/api/apps/myapp/logs?q=" + Uri.EscapeDataString("dyno:web.2 service>5s")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", Assert.Single(response.Headers.GetValues("X-Matched-Count")));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rows = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(["/b", "/slow"], rows.Select(r => r.GetProperty("fields").GetProperty("path").GetString()));
        var h12 = rows[1];
        Assert.Equal(s_t0.AddSeconds(1), h12.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("heroku", h12.GetProperty("source").GetString());
        Assert.Equal("web.2", h12.GetProperty("dyno").GetString());
        Assert.Equal("router", h12.GetProperty("kind").GetString());
        Assert.StartsWith("at=error code=H12 desc=\"Request timeout\"", h12.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("30000ms", h12.GetProperty("fields").GetProperty("service").GetString());
        Assert.Equal("H12", h12.GetProperty("fields").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Logs_RuntimeLine_KeepsHerokuKeyNamesInFields()
    {
        var rows = await GetRowsAsync("/api/apps/myapp/logs?q=" + Uri.EscapeDataString("sample#memory_swap>40MB"));

        var row = Assert.Single(rows);
        Assert.Equal("42.00MB", row.GetProperty("fields").GetProperty("sample#memory_swap").GetString());
        Assert.Equal("runtime", row.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Logs_FromToAndLimit_NarrowTheResult()
    {
        var from = Uri.EscapeDataString(s_t0.AddSeconds(1).ToString("O"));
        var to = Uri.EscapeDataString(s_t0.AddSeconds(3).ToString("O"));

        var rows = await GetRowsAsync($"/api/apps/myapp/logs?from={from}&to={to}&limit=2");

        // Inside 10:00:01–10:00:03 newest first: the two runtime lines at :03, then /b and the H12.
        Assert.Equal(["runtime", "runtime"], rows.Select(r => r.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Logs_Csv_IsAnAttachmentWithHeaderKeyColumnsAndRfc4180Quoting()
    {
        using var response = await _client.GetAsync(Url("/api/apps/myapp/logs?format=csv&q=" + Uri.EscapeDataString("kind:app OR code:H12")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("myapp-logs.csv", response.Content.Headers.ContentDisposition?.FileName);
        var text = await response.Content.ReadAsStringAsync();
        var lines = text.Split("\r\n");
        Assert.Equal(4, lines.Length); // header, two rows, and the empty string after the final CRLF
        Assert.Equal("", lines[3]);
        var header = lines[0].Split(',');
        Assert.Equal(["time", "source", "dyno", "kind", "message"], header[..5]);
        Assert.Contains("msg", header);
        Assert.Contains("order_id", header);
        Assert.Contains("service", header);
        Assert.Contains("code", header);
        // The app line: its message holds a comma and quotes, so it is quoted with the quotes doubled.
        Assert.StartsWith(s_t0.AddSeconds(4).ToString("O", CultureInfo.InvariantCulture) + ",app,web.1,app,\"level=warn msg=\"\"cart, \\\"\"big\\\"\" order\"\" order_id=7\"", lines[1], StringComparison.Ordinal);
        // Its msg value, unescaped from logfmt (cart, "big" order), is quoted the same way.
        Assert.Contains(",\"cart, \"\"big\"\" order\",", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_CsvOfRuntimeLines_RenamesKeysThatClashWithFixedColumns()
    {
        using var response = await _client.GetAsync(Url("/api/apps/myapp/logs?format=csv&q=kind:runtime"));

        var header = (await response.Content.ReadAsStringAsync()).Split("\r\n")[0].Split(',');
        Assert.Equal(1, header.Count(h => h == "source"));
        Assert.Contains("fields.source", header);
        Assert.Contains("fields.dyno", header);
        Assert.Contains("sample#memory_swap", header);
    }

    [Theory]
    [InlineData("status>", 7)]
    [InlineData("(code:H12", 0)]
    [InlineData("kind:bogus", 5)]
    public async Task Logs_BadQuery_Returns400ProblemNamingThePosition(string query, int position)
    {
        using var response = await _client.GetAsync(Url("/api/apps/myapp/logs?q=" + Uri.EscapeDataString(query)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Invalid query", json.RootElement.GetProperty("title").GetString());
        Assert.Equal(position, json.RootElement.GetProperty("position").GetInt32());
        Assert.Contains($"position {position}", json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/apps/nosuchapp/logs", HttpStatusCode.NotFound)]
    [InlineData("/api/apps/nosuchapp/logs?format=csv", HttpStatusCode.NotFound)]
    [InlineData("/api/apps/nosuchapp/logs/groups?by=dyno", HttpStatusCode.NotFound)]
    [InlineData("/api/apps/nosuchapp/logs/keys", HttpStatusCode.NotFound)]
    [InlineData("/api/apps/myapp/logs?format=xml", HttpStatusCode.BadRequest)]
    [InlineData("/api/apps/myapp/logs?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/apps/myapp/logs?from=yesterday", HttpStatusCode.BadRequest)]
    [InlineData("/api/apps/myapp/logs/groups?by=a%20b", HttpStatusCode.BadRequest)]
    public async Task Logs_UnknownAppOrBadParameter_ReturnsProblemJson(string url, HttpStatusCode status)
    {
        using var response = await _client.GetAsync(Url(url));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Groups_ServiceByDyno_ReportsCountAverageAndP95PerDyno()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync(Url("/api/apps/myapp/logs/groups?q=kind:router&by=dyno&value=service")));

        var root = json.RootElement;
        Assert.Equal("ms", root.GetProperty("unit").GetString());
        var groups = root.GetProperty("groups").EnumerateArray().ToArray();
        Assert.Equal(["web.2", "web.1"], groups.Select(g => g.GetProperty("key").GetString()));
        // web.2: 30000 and 6000 ms → average 18000, p95 (nearest rank, 2nd of 2) 30000.
        Assert.Equal(2, groups[0].GetProperty("count").GetInt32());
        Assert.Equal(18_000, groups[0].GetProperty("average").GetDouble());
        Assert.Equal(30_000, groups[0].GetProperty("p95").GetDouble());
    }

    [Fact]
    public async Task Keys_ReturnsKeysMostFrequentFirst()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync(Url("/api/apps/myapp/logs/keys?max=3")));

        // Two runtime lines and three router lines carry dyno=; the router keys come next (3 each), by name.
        Assert.Equal([("dyno", 5), ("at", 3), ("bytes", 3)],
            json.RootElement.EnumerateArray().Select(k => (k.GetProperty("key").GetString(), k.GetProperty("count").GetInt32())));
    }

    private async Task<JsonElement[]> GetRowsAsync(string url)
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync(Url(url)));
        return [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static Uri Url(string path) => new(path, UriKind.Relative);
}
