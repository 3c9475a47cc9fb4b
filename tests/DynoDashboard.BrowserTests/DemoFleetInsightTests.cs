using DynoDashboard.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DynoDashboard.BrowserTests;

/// <summary>The "done when": opening the demo fleet, the user sees an insight naming web.2 within minutes.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DemoFleetInsightTests(BrowserSession browser) : IAsyncLifetime, IDisposable
{
    // Backfill takes web.2 into swap and H12s; a high speed keeps the 3-min persistence short in wall time.
    private readonly KestrelDashboard _app = new(new Dictionary<string, string?>
    {
        ["Demo:Enabled"] = "true",
        ["Demo:Speed"] = "20",
        ["Demo:BackfillMinutes"] = "25",
    });

    [ChromiumFact]
    public async Task FleetPage_DemoFleet_InsightNamesWeb2()
    {
        var page = await browser.OpenAsync(new Uri(_app.RootUri, "apps/demo"));

        var outlier = page.Locator(".insights-panel .insight--outlier[data-dyno='web.2']");
        await Expect(outlier).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Expect(outlier.Locator(".insight-summary")).ToContainTextAsync("web.2");
        await Expect(page.Locator(".insights-panel .insight--outlier")).ToHaveCountAsync(1);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit runs DisposeAsync before Dispose: the pages close while their dashboard still answers.
    public Task DisposeAsync() => browser.CloseTestPagesAsync();

    public void Dispose() => _app.Dispose();
}
