using Microsoft.Playwright;

namespace DynoDashboard.BrowserTests.Infrastructure;

/// <summary>Playwright driving Debian's Chromium headless, with the launch flags that work in containers.</summary>
public sealed class BrowserSession : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: <c>artifacts/</c> under the test output folder.</summary>
    public static string ArtifactsFolder { get; } = Directory.CreateDirectory(
        Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumFactAttribute.ChromiumPath))
        {
            // Only reached under CI=true (elsewhere the tests skip): fail with the fix in the message.
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumFactAttribute.ChromiumPath}; install it with: apt-get install -y chromium");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A new page at <paramref name="uri"/> once the Blazor circuit is interactive.</summary>
    public async Task<IPage> OpenAsync(Uri uri, int width = 1366, int height = 900, Func<IPage, Task>? beforeNavigation = null)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        if (beforeNavigation is not null)
        {
            await beforeNavigation(page);
        }

        await page.GotoAsync(uri.ToString());
        await WaitInteractiveAsync(page);
        return page;
    }

    public static async Task WaitInteractiveAsync(IPage page) =>
        await Assertions.Expect(page.Locator("#circuit-state")).ToHaveTextAsync("interactive", new() { Timeout = 30_000 });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsFolder, name + ".png"), FullPage = true });
}

[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserSession>
{
    public const string Name = "browser";
}
