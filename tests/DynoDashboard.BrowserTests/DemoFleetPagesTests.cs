using System.Text.RegularExpressions;
using DynoDashboard.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DynoDashboard.BrowserTests;

/// <summary>The demo fleet (web.2 leaks into swap, then answers H12/H13) seen through every page.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class DemoFleetPagesTests(BrowserSession browser) : IAsyncLifetime, IDisposable
{
    // 25 simulated minutes of backfill puts web.2 past its quota and into H12s; 5× keeps it there for the whole
    // test (its restart comes 36–44 simulated minutes after boot).
    private readonly KestrelDashboard _app = new(new Dictionary<string, string?>
    {
        ["Demo:Enabled"] = "true",
        ["Demo:Speed"] = "5",
        ["Demo:BackfillMinutes"] = "25",
    });

    [ChromiumFact]
    public async Task EveryPage_DemoFleet_LiveAndWeb2StandsOut()
    {
        var page = await browser.OpenAsync(_app.RootUri);

        // One app: the app list goes straight to its fleet.
        await Expect(page).ToHaveURLAsync(AppsDemo());
        await Expect(page.Locator(".fleet-table .dyno-name")).ToHaveCountAsync(5);
        var web2 = page.Locator("tr.dyno-row--concern", new() { Has = page.Locator(".dyno-name", new() { HasTextString = "web.2" }) });
        await Expect(web2).ToBeVisibleAsync();
        await Expect(web2.Locator(".dyno-status")).ToContainTextAsync(new Regex("Swapping|H1[23]"));
        await Expect(page.Locator(".sparkline-cell svg.apexcharts-svg")).ToHaveCountAsync(5);
        await BrowserSession.ScreenshotAsync(page, "fleet");

        // The drain health rows are one markup string each: the browser must still parse them into the table.
        if (!await page.Locator(".drain-health-table").IsVisibleAsync())
        {
            await page.Locator(".drain-health-panel .mud-expand-panel-header").ClickAsync();
        }

        await Expect(page.Locator(".drain-health-table tbody tr.drain-dyno")).ToHaveCountAsync(5);
        await Expect(page.Locator(".drain-health-table tr.drain-dyno[data-dyno='web.2'] td").First).ToHaveTextAsync("web.2");

        await GoAsync(page, "apps/demo/dynos/web.2");
        await Expect(page.Locator(".dyno-chart__plot svg.apexcharts-svg")).ToHaveCountAsync(4);
        await Expect(page.Locator(".dyno-events tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator(".dyno-chart__summary").First).ToContainTextAsync("now");
        await BrowserSession.ScreenshotAsync(page, "dyno-web2");

        await GoAsync(page, "apps/demo/swap");
        var swap = page.Locator(".dyno-chart__plot[data-chart='Swap per dyno']");
        await Expect(swap).ToHaveAttributeAsync("data-series-count", "5");
        await Expect(page.Locator(".apexcharts-legend-text")).ToHaveTextAsync(["web.1", "web.2", "web.3", "web.4", "worker.1"]);
        var updates = int.Parse(await swap.GetAttributeAsync("data-updates") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        // Live: the demo keeps posting, so the chart takes new points without a reload.
        await Expect(swap).Not.ToHaveAttributeAsync("data-updates", updates.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator(".window-picker").GetByText("6h", new() { Exact = true }).ClickAsync();
        await Expect(page.Locator(".dyno-chart__summary")).ToContainTextAsync("last 360 min");
        await BrowserSession.ScreenshotAsync(page, "swap");

        await GoAsync(page, "apps/demo/compare");
        await Expect(page.Locator(".compare-table tr.dyno-row--concern .dyno-name")).ToHaveTextAsync("web.2");
        await Expect(page.Locator(".outlier-flag")).ToHaveCountAsync(1);
        await Expect(page.Locator(".outlier-alert")).ToContainTextAsync("web.2");
        await Expect(page.Locator(".dyno-chart__plot svg.apexcharts-svg")).ToHaveCountAsync(4);
        await BrowserSession.ScreenshotAsync(page, "compare");
    }

    [ChromiumFact]
    public async Task Layout_PhoneWidthAndDarkMode_DarkModeRemembered()
    {
        var page = await browser.OpenAsync(new Uri(_app.RootUri, "apps/demo"), width: 390, height: 844);
        await Expect(page.Locator(".sparkline-cell svg.apexcharts-svg")).ToHaveCountAsync(5);
        await BrowserSession.ScreenshotAsync(page, "fleet-phone");

        await page.Locator(".dark-mode-toggle").ClickAsync();
        await Expect(page.Locator(".mud-theme-dark, body.mud-theme-dark, .mud-layout")).Not.ToHaveCountAsync(0);
        var darkBackground = await BackgroundAsync(page);
        await page.ReloadAsync();
        await BrowserSession.WaitInteractiveAsync(page);
        await Expect(page.Locator(".fleet-table .dyno-name").First).ToBeVisibleAsync();
        await page.WaitForFunctionAsync(
            "bg => getComputedStyle(document.body).backgroundColor === bg", darkBackground);
        await BrowserSession.ScreenshotAsync(page, "fleet-phone-dark");
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.WaitForFunctionAsync(
                "() => { const bg = getComputedStyle(document.body).backgroundColor; return bg !== 'rgb(255, 255, 255)' ? bg : null; }",
                null)
            .ContinueWith(t => t.Result.JsonValueAsync<string>(), TaskScheduler.Default).Unwrap();

    private async Task GoAsync(IPage page, string path)
    {
        await page.GotoAsync(new Uri(_app.RootUri, path).ToString());
        await BrowserSession.WaitInteractiveAsync(page);
    }

    [GeneratedRegex("/apps/demo$")]
    private static partial Regex AppsDemo();

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit runs DisposeAsync before Dispose: the pages close while their dashboard still answers.
    public Task DisposeAsync() => browser.CloseTestPagesAsync();

    public void Dispose() => _app.Dispose();
}
