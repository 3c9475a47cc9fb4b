using DynoDashboard.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DynoDashboard.BrowserTests;

/// <summary>The Scalar API reference renders under the dashboard's strict CSP (its start-up script allowed by hash).</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class ApiReferenceTests(BrowserSession browser) : IAsyncLifetime, IDisposable
{
    private readonly KestrelDashboard _app = new();

    [ChromiumFact]
    public async Task ApiReference_Opened_RendersTheEndpointsWithoutCspViolations()
    {
        var page = await browser.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) &&
                message.Text.Contains("script", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        await page.GotoAsync(new Uri(_app.RootUri, "api-reference").ToString());

        await Expect(page.GetByText("DynoDashboard API").First).ToBeVisibleAsync();
        await Expect(page.GetByText("/api/apps/{app}/dynos").First).ToBeAttachedAsync();
        await BrowserSession.ScreenshotAsync(page, "api-reference");
        Assert.Empty(violations);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit runs DisposeAsync before Dispose: the pages close while their dashboard still answers.
    public Task DisposeAsync() => browser.CloseTestPagesAsync();

    public void Dispose() => _app.Dispose();
}
