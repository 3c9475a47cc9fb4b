using Microsoft.Playwright;

namespace DynoDashboard.BrowserTests.Infrastructure;

/// <summary>Playwright driving Debian's Chromium headless, with the launch flags that work in containers.</summary>
public sealed class BrowserSession : IAsyncLifetime
{
    /// <summary>
    /// How long an expectation or a navigation waits. Sized for a machine whose cores another build keeps busy: a
    /// chart that draws in 200 ms when idle has taken over 5 s there, and a wait ends as soon as its condition holds.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly List<IBrowserContext> _contexts = [];
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

        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
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
        await CloseTestPagesAsync();
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>
    /// A blank page in a browser context of its own (its own cookies and storage), closed by
    /// <see cref="CloseTestPagesAsync"/>.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 1366, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Patience.TotalMilliseconds);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        return await context.NewPageAsync();
    }

    /// <summary>
    /// Closes every page a test opened. A test calls it before it stops its dashboard: a page left open keeps its
    /// renderer drawing and retrying the lost circuit, and a dozen of those starved the tests that came after.
    /// </summary>
    public async Task CloseTestPagesAsync()
    {
        IBrowserContext[] contexts;
        lock (_contexts)
        {
            contexts = [.. _contexts];
            _contexts.Clear();
        }

        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }
    }

    /// <summary>A new page at <paramref name="uri"/> once the Blazor circuit is interactive.</summary>
    public async Task<IPage> OpenAsync(Uri uri, int width = 1366, int height = 900, Func<IPage, Task>? beforeNavigation = null)
    {
        var page = await NewPageAsync(width, height);
        if (beforeNavigation is not null)
        {
            await beforeNavigation(page);
        }

        await page.GotoAsync(uri.ToString());
        await WaitInteractiveAsync(page);
        return page;
    }

    public static async Task WaitInteractiveAsync(IPage page) =>
        await Assertions.Expect(page.Locator("#circuit-state")).ToHaveTextAsync("interactive");

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsFolder, name + ".png"), FullPage = true });
}

[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserSession>
{
    public const string Name = "browser";
}
