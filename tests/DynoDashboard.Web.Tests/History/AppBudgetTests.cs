using System.Globalization;
using System.Net;
using System.Text.Json;

namespace DynoDashboard.Web.Tests.History;

/// <summary>
/// Per-app budgets and the kept-from notice through the real app: drain, parser, history writer and a LiteDB file
/// per test, restarted on the same data folder where the test says so.
/// </summary>
public sealed class AppBudgetTests
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    [Fact]
    public async Task Restart_AfterAFloodOnOneApp_TheQuietAppAndItsLinesAreStillThere()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:MaxLogLinesPerApp"] = "200",
            ["Storage:MaxLogLines"] = "300",
        };
        var folder = DashboardFactory.NewDataFolder();
        try
        {
            using (var first = new DashboardFactory(settings, dataFolder: folder))
            {
                await PostAsync(first, "quiet", Lines(s_t0, 5, "quiet"));
                for (var batch = 0; batch < 6; batch++)
                {
                    await PostAsync(first, "busy", Lines(s_t0.AddMinutes(1 + batch), 200, "busy"));
                }

                await first.WaitUntilHistoryWrittenAsync();
            }

            using var second = new DashboardFactory(settings, dataFolder: folder);
            using var client = second.CreateClient();

            using (var apps = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/apps", UriKind.Relative))))
            {
                var names = apps.RootElement.EnumerateArray().Select(a => a.GetProperty("name").GetString()!).Order().ToArray();
                Assert.Equal(["busy", "quiet"], names);
            }

            using var quiet = await client.GetAsync(LogsUrl("quiet", "kind:app"));
            Assert.Equal(["quiet 4", "quiet 3", "quiet 2", "quiet 1", "quiet 0"], await MessagesAsync(quiet));
            // Only the restart's note (router lines live on as charts); none of the quiet app's lines were deleted.
            Assert.DoesNotContain("Cap", NotKept(quiet), StringComparison.Ordinal);

            using var busy = await client.GetAsync(LogsUrl("busy", "kind:app", "&limit=1000"));
            var busyLines = await MessagesAsync(busy);
            Assert.Equal(200, busyLines.Length);
            Assert.Equal("busy 199", busyLines[0]);
            // The oldest 1,000 went by the app's own cap, the last of them the fifth batch's newest line: everything
            // from just after it is there.
            var lastDeleted = s_t0.AddMinutes(5).AddMilliseconds(199);
            Assert.Contains($"AppCap {Iso(lastDeleted.AddTicks(1))}", NotKept(busy), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Export_WindowOlderThanTheLiveBuffer_HeadersSayLinesBeforeTheBuffersOldestAreNotKept()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["LiveStore:RecentLinesPerApp"] = "4" });
        using var client = factory.CreateClient();
        // An hour ago: plain router lines (kept only as charts), an H12 (kept as an event) and an app line.
        var old = new LogplexBody()
            .Router(s_t0, "web.1")
            .Router(s_t0.AddSeconds(1), "web.1")
            .Router(s_t0.AddSeconds(2), "web.2", status: 503, serviceMs: 30_000, code: "H12", desc: "Request timeout")
            .Add(190, s_t0.AddSeconds(3), "app", "web.1", "level=info msg=checkout");
        await PostAsync(factory, "shop", old);
        await PostAsync(factory, "shop", Lines(s_t0.AddHours(1), 4, "now")); // pushes the old lines out of the buffer
        await factory.WaitUntilHistoryWrittenAsync();

        var from = Uri.EscapeDataString(Iso(s_t0.AddMinutes(-1)));
        using var csv = await client.GetAsync(LogsUrl("shop", "", $"&format=csv&from={from}"));

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var body = await csv.Content.ReadAsStringAsync();
        Assert.Contains("H12", body, StringComparison.Ordinal);
        Assert.Contains("msg=checkout", body, StringComparison.Ordinal);
        Assert.Equal(4 + 2 + 1, body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // header, 4 live, H12, app line
        var bufferOldest = Iso(s_t0.AddHours(1));
        Assert.Equal(bufferOldest, Assert.Single(csv.Headers.GetValues("X-History-Kept-From")));
        Assert.Equal($"LiveBuffer {bufferOldest}", Assert.Single(csv.Headers.GetValues("X-History-Not-Kept")));

        // The same search as JSON says the same; a window inside the live buffer says nothing.
        using var json = await client.GetAsync(LogsUrl("shop", "", $"&from={from}"));
        Assert.Equal(bufferOldest, Assert.Single(json.Headers.GetValues("X-History-Kept-From")));
        var inside = Uri.EscapeDataString(Iso(s_t0.AddHours(1)));
        using var recent = await client.GetAsync(LogsUrl("shop", "", $"&format=csv&from={inside}"));
        Assert.False(recent.Headers.Contains("X-History-Kept-From"));
    }

    private static LogplexBody Lines(DateTimeOffset start, int count, string prefix)
    {
        var body = new LogplexBody();
        for (var i = 0; i < count; i++)
        {
            body.Add(190, start.AddMilliseconds(i), "app", "web.1", string.Create(CultureInfo.InvariantCulture, $"{prefix} {i}"));
        }

        return body;
    }

    private static async Task PostAsync(DashboardFactory factory, string app, LogplexBody body)
    {
        using var response = await factory.PostLogplexAndWaitAsync(app, body);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static async Task<string[]> MessagesAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.EnumerateArray().Select(r => r.GetProperty("message").GetString()!)];
    }

    private static string NotKept(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-History-Not-Kept", out var values) ? string.Join(", ", values) : string.Empty;

    private static Uri LogsUrl(string app, string query, string extra = "") =>
        new($"/api/apps/{app}/logs?q={Uri.EscapeDataString(query)}{extra}", UriKind.Relative);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
