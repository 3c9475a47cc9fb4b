using DynoDashboard.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace DynoDashboard.BrowserTests;

/// <summary>
/// Not a test: the browser half of bench/circuit-memory-visible.sh. Chromium opened through DevTools keeps all but one
/// tab hidden, and a hidden tab never tells &lt;Virtualize&gt; what is in view, so a virtualized page would be measured
/// with no rows. Playwright's pages are all visible. Runs only when DYNO_PROBE_URL is set; it opens one warm-up page,
/// then PAGES more (default 20) scrolled to #dynos, handshaking with the script through files in DYNO_PROBE_DIR.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class CircuitMemoryProbe(BrowserSession browser)
{
    [ChromiumFact]
    public async Task OpenPagesForTheMemoryScript()
    {
        if (Environment.GetEnvironmentVariable("DYNO_PROBE_URL") is not { Length: > 0 } url)
        {
            return;
        }

        var dir = Environment.GetEnvironmentVariable("DYNO_PROBE_DIR") ?? Path.GetTempPath();
        var pages = int.Parse(Environment.GetEnvironmentVariable("DYNO_PROBE_PAGES") ?? "20", System.Globalization.CultureInfo.InvariantCulture);
        var open = new List<IPage> { await browser.OpenAsync(new Uri(url)) };
        await Task.Delay(TimeSpan.FromSeconds(15));
        await HandshakeAsync(dir, "before");
        for (var i = 0; i < pages; i++)
        {
            var page = await browser.OpenAsync(new Uri(url));
            await page.EvaluateAsync("() => document.getElementById('dynos')?.scrollIntoView()");
            open.Add(page);
        }

        await Task.Delay(TimeSpan.FromSeconds(15)); // rows in view render and their charts are drawn
        await HandshakeAsync(dir, "after");
        foreach (var page in open)
        {
            await page.CloseAsync();
        }
    }

    /// <summary>Writes STEP.ready and waits (up to 5 minutes) for the script's STEP.done.</summary>
    private static async Task HandshakeAsync(string dir, string step)
    {
        await File.WriteAllTextAsync(Path.Combine(dir, step + ".ready"), "");
        var done = Path.Combine(dir, step + ".done");
        for (var i = 0; i < 3000 && !File.Exists(done); i++)
        {
            await Task.Delay(100);
        }
    }
}
