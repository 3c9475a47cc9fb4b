using DynoDashboard.BrowserTests.Infrastructure;
using DynoDashboard.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DynoDashboard.BrowserTests;

/// <summary>A fleet above the page's virtualization threshold: only the rows in view render, and scrolling brings the rest.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class LargeFleetTests(BrowserSession browser) : IAsyncLifetime, IDisposable
{
    private const int Dynos = 40;

    private readonly KestrelDashboard _app = new();

    [ChromiumFact]
    public async Task Fleet_MoreDynosThanTheThreshold_RowsInViewRenderAndScrollingReachesTheLast()
    {
        var page = await OpenFleetAsync();

        var names = page.Locator(".fleet-table .dyno-name");
        await Expect(names.First).ToHaveTextAsync("web.1");
        await Expect(page.Locator(".fleet-table .sparkline-cell svg.apexcharts-svg").First).ToBeVisibleAsync();
        Assert.InRange(await names.CountAsync(), 1, Dynos - 1);

        // Bring the table's last row (the spacer below the rendered rows) into view, as scrolling down does, until
        // <Virtualize> has rendered the last dyno. Jumping to the page's end would skip over the spacer unseen.
        await page.WaitForFunctionAsync("""
            () => {
                document.querySelector('.fleet-table tbody > tr:last-child').scrollIntoView({ block: 'end' });
                return [...document.querySelectorAll('.fleet-table .dyno-name')].some(e => e.textContent === 'web.40');
            }
            """);
        await Expect(page.Locator(".fleet-table .dyno-name", new() { HasTextString = "web.40" })).ToBeVisibleAsync();
        Assert.InRange(await names.CountAsync(), 1, Dynos - 1);
        await BrowserSession.ScreenshotAsync(page, "fleet-large-scrolled");
    }

    [ChromiumFact]
    public async Task Fleet_MoreDynosThanMaxLanes_SwimlaneCappedUntilShowAll()
    {
        var page = await OpenFleetAsync();

        var lanes = page.Locator(".lifecycle-swimlane .swimlane__row[data-dyno]");
        await Expect(lanes).ToHaveCountAsync(20);
        await page.Locator(".swimlane-show-all").ClickAsync();
        await Expect(lanes).ToHaveCountAsync(Dynos);
    }

    /// <summary>Posts one sample for each of <see cref="Dynos"/> web dynos and opens their fleet page.</summary>
    private async Task<IPage> OpenFleetAsync()
    {
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        var body = new LogplexBody();
        for (var i = 1; i <= Dynos; i++)
        {
            body.Runtime(t0, $"web.{i}", 0.4, 300, 0);
        }

        await _app.PostAsync("big", body);
        return await browser.OpenAsync(new Uri(_app.RootUri, "apps/big"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit runs DisposeAsync before Dispose: the pages close while their dashboard still answers.
    public Task DisposeAsync() => browser.CloseTestPagesAsync();

    public void Dispose() => _app.Dispose();
}
