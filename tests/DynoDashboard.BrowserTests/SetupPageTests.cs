using DynoDashboard.BrowserTests.Infrastructure;
using DynoDashboard.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DynoDashboard.BrowserTests;

/// <summary>The setup page: app name in, commands out, then a live wait for that app's first frame and runtime metrics.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class SetupPageTests(BrowserSession browser) : IAsyncLifetime, IDisposable
{
    private const string App = "new-shop";

    private readonly KestrelDashboard _app = new();
    private readonly DateTimeOffset _t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);

    [ChromiumFact]
    public async Task Setup_AppNameEntered_ShowsCommands_ThenFirstFrame_ThenRuntimeMetrics()
    {
        var page = await browser.OpenAsync(new Uri(_app.RootUri, "setup"));

        await page.Locator("#setup-app").FillAsync(App);

        var commands = page.Locator(".setup-command");
        await Expect(commands).ToHaveCountAsync(3);
        await Expect(commands.Nth(0)).ToHaveTextAsync($"heroku labs:enable log-runtime-metrics -a {App}");
        await Expect(commands.Nth(1)).ToHaveTextAsync($"heroku ps:restart -a {App}");
        await Expect(commands.Nth(2)).ToHaveTextAsync(
            $"heroku drains:add \"{_app.RootUri.Scheme}://user:{KestrelDashboard.Key}@{_app.RootUri.Authority}/drain/{App}\" -a {App}");
        var status = page.Locator(".setup-status");
        await Expect(status).ToContainTextAsync($"Waiting for the first frame from {App}");

        await _app.PostAsync(App, new LogplexBody().Router(_t0, "web.1").Router(_t0.AddSeconds(1), "web.2"));

        await Expect(status).ToContainTextAsync($"The first frame from {App} arrived");
        await Expect(status).ToContainTextAsync("Fir generation");

        await _app.PostAsync(App, new LogplexBody().Runtime(_t0.AddSeconds(20), "web.1", 0.3, 250, 0));

        await Expect(status).ToContainTextAsync($"Runtime metrics arrive from {App}");
        await BrowserSession.ScreenshotAsync(page, "setup-runtime-arrived");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit runs DisposeAsync before Dispose: the pages close while their dashboard still answers.
    public Task DisposeAsync() => browser.CloseTestPagesAsync();

    public void Dispose() => _app.Dispose();
}
