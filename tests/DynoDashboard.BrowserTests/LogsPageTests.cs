using DynoDashboard.BrowserTests.Infrastructure;
using DynoDashboard.Core.Query;
using DynoDashboard.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DynoDashboard.BrowserTests;

/// <summary>The logs table view over lines POSTed to the drain: search, live tail and CSV export in a real browser.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class LogsPageTests(BrowserSession browser) : IAsyncLifetime, IDisposable
{
    private const string App = "shop";

    private readonly KestrelDashboard _app = new();

    // Inside the page's default one-hour window, whole seconds like Logplex's clock.
    private readonly DateTimeOffset _t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600);

    /// <summary>Thirty requests on each of web.1 and web.2, three of web.2's timing out with H12.</summary>
    private Task PostTrafficAsync()
    {
        var body = new LogplexBody();
        for (var i = 0; i < 30; i++)
        {
            body.Router(_t0.AddSeconds(i * 10), "web.1").Router(_t0.AddSeconds(i * 10 + 1), "web.2");
            if (i % 10 == 0)
            {
                body.Router(_t0.AddSeconds(i * 10 + 5), "web.2", status: 503, serviceMs: 30_000, code: "H12", desc: "Request timeout");
            }
        }

        return _app.PostAsync(App, body);
    }

    [ChromiumFact]
    public async Task Search_H12ThenBadQuery_RowsNarrowedThenErrorInlineWithPosition()
    {
        await PostTrafficAsync();
        var page = await browser.OpenAsync(new Uri(_app.RootUri, $"apps/{App}/logs"));
        var rows = page.Locator(".log-table tr.log-row");
        await Expect(rows).ToHaveCountAsync(50);

        await page.Locator(".log-search input").FillAsync("dyno:web.2 code:H12");
        await page.Locator(".log-search-button").ClickAsync();

        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.Locator(".log-summary")).ToContainTextAsync("3 of 63 lines match");

        await page.Locator(".log-search input").FillAsync("status>=");
        await page.Locator(".log-search-button").ClickAsync();

        var error = LogQuery.Parse("status>=").Error!;
        await Expect(page.Locator(".log-query-error")).ToContainTextAsync($"Query error at position {error.Position}: {error.Message}");
        await Expect(rows).ToHaveCountAsync(3);
        await BrowserSession.ScreenshotAsync(page, "logs-search-error");
    }

    [ChromiumFact]
    public async Task LiveTail_LinesPosted_AppearNewestFirstAndStopWhilePaused()
    {
        await PostTrafficAsync();
        var page = await browser.OpenAsync(new Uri(_app.RootUri, $"apps/{App}/logs?q=path%3D%2Ftail"));
        var rows = page.Locator(".log-table tr.log-row");
        await Expect(page.Locator(".log-summary")).ToContainTextAsync("0 of 63 lines match");
        await page.GetByText("Live tail").ClickAsync();
        await Expect(page.Locator(".log-tail-pause")).ToBeVisibleAsync();

        await _app.PostAsync(App, new LogplexBody().Router(_t0.AddSeconds(400), "web.1", path: "/tail"));
        await Expect(rows).ToHaveCountAsync(1);

        await page.Locator(".log-tail-pause").ClickAsync();
        await Expect(page.Locator(".log-tail-pause")).ToHaveTextAsync("Resume");
        await _app.PostAsync(App, new LogplexBody().Router(_t0.AddSeconds(410), "web.2", path: "/tail"));
        await page.Locator(".log-tail-pause").ClickAsync();

        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First.Locator("td").Nth(2)).ToHaveTextAsync("web.2");
    }

    [ChromiumFact]
    public async Task CsvButton_AfterSearch_DownloadsTheMatchingLines()
    {
        await PostTrafficAsync();
        var page = await browser.OpenAsync(new Uri(_app.RootUri, $"apps/{App}/logs"));
        await page.Locator(".log-search input").FillAsync("code:H12");
        await page.Locator(".log-search-button").ClickAsync();
        await Expect(page.Locator(".log-table tr.log-row")).ToHaveCountAsync(3);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a.log-export-csv").ClickAsync());

        Assert.Equal($"{App}-logs.csv", download.SuggestedFilename);
        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList();
        Assert.Equal(4, lines.Count);
        Assert.All(lines.Skip(1), l => Assert.Contains("code=H12", l, StringComparison.Ordinal));
    }

    [ChromiumFact]
    public async Task ErrorsPage_ClickWeb2H12Cell_LogsPageShowsThoseLines()
    {
        await PostTrafficAsync();
        var page = await browser.OpenAsync(new Uri(_app.RootUri, $"apps/{App}/errors"));
        var cell = page.Locator(".error-matrix tr.error-row[data-dyno='web.2'] td.error-cell[data-code='H12'] a");
        await Expect(cell).ToHaveTextAsync("3");

        await cell.ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/apps/{App}/logs\\?q="));
        await Expect(page.Locator(".log-search input")).ToHaveValueAsync("dyno:web.2 code:H12");
        await Expect(page.Locator(".log-table tr.log-row")).ToHaveCountAsync(3);
        await BrowserSession.ScreenshotAsync(page, "errors-to-logs");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit runs DisposeAsync before Dispose: the pages close while their dashboard still answers.
    public Task DisposeAsync() => browser.CloseTestPagesAsync();

    public void Dispose() => _app.Dispose();
}
