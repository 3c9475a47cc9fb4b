using System.Globalization;
using System.Net;
using System.Text.Json;

namespace DynoDashboard.Web.Tests.Api;

/// <summary>
/// <c>GET /api/apps/{app}/logs</c> over the live buffer and history: the real app with its own LiteDB file and a live
/// buffer of four lines, fed through the drain (real parser, real history writer), so older lines are only in history.
/// </summary>
public sealed class LogHistorySearchTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    private readonly DashboardFactory _factory = new(new Dictionary<string, string?> { ["LiveStore:RecentLinesPerApp"] = "4" });
    private readonly HttpClient _client;

    public LogHistorySearchTests() => _client = _factory.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task Logs_LinesOlderThanTheLiveBuffer_FoundByQueryFromHistory()
    {
        var old = new LogplexBody()
            .Add(190, s_t0, "app", "web.1", "level=error msg=\"payment declined\" order_id=42")
            .Add(190, s_t0.AddSeconds(1), "heroku", "web.1", "Error R14 (Memory quota exceeded)")
            .Router(s_t0.AddSeconds(2), "web.2", status: 503, serviceMs: 30_000, code: "H12", desc: "Request timeout");
        await PostAndStoreAsync(old, Ticks(60, 6));

        var payment = Assert.Single(await RowsAsync("payment"));
        Assert.Equal(s_t0, payment.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("app", payment.GetProperty("kind").GetString());
        Assert.Equal("42", payment.GetProperty("fields").GetProperty("order_id").GetString());
        var r14 = Assert.Single(await RowsAsync("code:R14"));
        Assert.Equal("event", r14.GetProperty("kind").GetString());
        Assert.Equal("web.1", r14.GetProperty("dyno").GetString());
        // A router error is stored as an event but found as the router line it was, with its logfmt fields.
        var h12 = Assert.Single(await RowsAsync("kind:router code:H12 service>=30s"));
        Assert.Equal("web.2", h12.GetProperty("dyno").GetString());
        Assert.Equal(s_t0.AddSeconds(2), h12.GetProperty("time").GetDateTimeOffset());
    }

    [Fact]
    public async Task Logs_AcrossTheSeam_EveryLineOnceNewestFirstAndPagesJoinUp()
    {
        await PostAndStoreAsync(SeamLines());

        // The buffer holds a4…a7, so the seam is a4's time, which a3 shares: a3 comes from history, a4 from live only.
        var expected = new[] { "a7", "a6", "a5", "a4", "a3", "a2", "a1" };
        Assert.Equal(expected, Messages(await RowsAsync("kind:app")));
        var paged = new List<string>();
        for (var skip = 0; skip < 9; skip += 3)
        {
            using var response = await _client.GetAsync(Url($"q=kind:app&limit=3&skip={skip}"));
            Assert.Equal("7", Assert.Single(response.Headers.GetValues("X-Matched-Count")));
            paged.AddRange(Messages(await ParseAsync(response)));
        }

        Assert.Equal(expected, paged);
    }

    [Theory]
    [InlineData(2, 3, new[] { "a4", "a3", "a2" })] // straddles the seam
    [InlineData(1, 2, new[] { "a2", "a1" })] // history only
    [InlineData(4, 5, new[] { "a6", "a5" })] // live only
    public async Task Logs_FromAndTo_NarrowHistoryAndLiveAlike(int fromSecond, int toSecond, string[] expected)
    {
        await PostAndStoreAsync(SeamLines());

        var from = Uri.EscapeDataString(s_t0.AddSeconds(fromSecond).ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(s_t0.AddSeconds(toSecond).ToString("O", CultureInfo.InvariantCulture));
        using var response = await _client.GetAsync(Url($"q=kind:app&from={from}&to={to}"));

        Assert.Equal(expected, Messages(await ParseAsync(response)));
    }

    [Fact]
    public async Task Logs_BadQueryWithHistory_Still400ProblemJson()
    {
        await PostAndStoreAsync(SeamLines());

        using var response = await _client.GetAsync(Url("q=" + Uri.EscapeDataString("status>")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(7, json.RootElement.GetProperty("position").GetInt32());
    }

    /// <summary>Seven app lines a1…a7 at :01, :02, :03, :03, :04, :05, :06 (a3 and a4 share a time).</summary>
    private static LogplexBody SeamLines()
    {
        var body = new LogplexBody();
        int[] seconds = [1, 2, 3, 3, 4, 5, 6];
        for (var i = 0; i < seconds.Length; i++)
        {
            body.Add(190, s_t0.AddSeconds(seconds[i]), "app", "web.1", string.Create(CultureInfo.InvariantCulture, $"a{i + 1}"));
        }

        return body;
    }

    private static LogplexBody Ticks(int fromSecond, int count)
    {
        var body = new LogplexBody();
        for (var i = 0; i < count; i++)
        {
            body.Add(190, s_t0.AddSeconds(fromSecond + i), "app", "web.3", string.Create(CultureInfo.InvariantCulture, $"level=info msg=tick n={i}"));
        }

        return body;
    }

    private async Task PostAndStoreAsync(params LogplexBody[] bodies)
    {
        foreach (var body in bodies)
        {
            using var response = await _factory.PostLogplexAndWaitAsync("shop", body);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await _factory.WaitUntilHistoryWrittenAsync();
    }

    private async Task<JsonElement[]> RowsAsync(string query)
    {
        using var response = await _client.GetAsync(Url("q=" + Uri.EscapeDataString(query)));
        return await ParseAsync(response);
    }

    private static async Task<JsonElement[]> ParseAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static string[] Messages(IEnumerable<JsonElement> rows) => [.. rows.Select(r => r.GetProperty("message").GetString()!)];

    private static Uri Url(string query) => new("/api/apps/shop/logs?" + query, UriKind.Relative);
}
