// The browser half of bench/circuit-memory-visible.sh. Chromium opened through DevTools keeps all but one tab hidden,
// and a hidden tab never tells <Virtualize> what is in view, so a virtualized page would be measured with no rows;
// Playwright's pages are all visible. Opens one warm-up page, then PAGES more scrolled to #dynos, handshaking with the
// script through files in DIR: it writes STEP.ready and waits for the script's STEP.done.
// usage: dotnet run --project bench/DynoDashboard.CircuitProbe -- URL DIR [PAGES=20]
using System.Globalization;
using Microsoft.Playwright;

if (args.Length < 2)
{
    await Console.Error.WriteLineAsync("usage: DynoDashboard.CircuitProbe URL DIR [PAGES]");
    return 2;
}

var url = args[0];
var dir = args[1];
var pages = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
});

var open = new List<IPage> { await OpenAsync() };
await Task.Delay(TimeSpan.FromSeconds(15)); // the warm-up page's first render and charts settle
await HandshakeAsync("before");
for (var i = 0; i < pages; i++)
{
    var page = await OpenAsync();
    await page.EvaluateAsync("() => document.getElementById('dynos')?.scrollIntoView()");
    open.Add(page);
}

await Task.Delay(TimeSpan.FromSeconds(15)); // rows in view render and their charts are drawn
await HandshakeAsync("after");
foreach (var page in open)
{
    await page.CloseAsync();
}

return 0;

async Task<IPage> OpenAsync()
{
    var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
    await page.GotoAsync(url);
    await Assertions.Expect(page.Locator("#circuit-state")).ToHaveTextAsync("interactive", new() { Timeout = 60_000 });
    return page;
}

async Task HandshakeAsync(string step)
{
    await File.WriteAllTextAsync(Path.Combine(dir, step + ".ready"), "");
    var done = Path.Combine(dir, step + ".done");
    var deadline = DateTime.UtcNow.AddMinutes(5);
    while (!File.Exists(done) && DateTime.UtcNow < deadline)
    {
        await Task.Delay(100); // another process's file: polled
    }
}
