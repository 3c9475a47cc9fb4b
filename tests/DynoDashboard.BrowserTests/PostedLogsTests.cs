using System.Diagnostics;
using System.Globalization;
using DynoDashboard.BrowserTests.Infrastructure;
using DynoDashboard.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DynoDashboard.BrowserTests;

/// <summary>Pages fed by Logplex bodies POSTed to the drain, exactly as Heroku would send them.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class PostedLogsTests(BrowserSession browser, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string App = "shop";

    private static readonly string[] s_dynos = ["web.1", "web.2", "worker.1"];

    /// <summary>Twice a second: forty times Heroku's rate per dyno, yet slower than the feed's 250-ms coalescing.</summary>
    private static readonly TimeSpan s_arrivalPeriod = TimeSpan.FromMilliseconds(500);

    private readonly KestrelDashboard _app = new();

    // Whole seconds: Logplex timestamps carry microseconds and the chart takes milliseconds.
    private readonly DateTimeOffset _t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600);

    private static string Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private Task PostRuntimeAsync(int samples)
    {
        var body = new LogplexBody();
        for (var i = 0; i < samples; i++)
        {
            foreach (var dyno in s_dynos)
            {
                body.Runtime(_t0.AddSeconds(20 * i), dyno, 0.4, 300, dyno == "web.2" ? 10 * i : 0);
            }
        }

        return _app.PostAsync(App, body);
    }

    [ChromiumFact]
    public async Task SwapChart_NewSamplePosted_OneSeriesPerDynoAndGrows()
    {
        await PostRuntimeAsync(10);
        var page = await browser.OpenAsync(new Uri(_app.RootUri, $"apps/{App}/swap"));
        var swap = page.Locator(".dyno-chart__plot[data-chart='Swap per dyno']");
        await Expect(swap).ToHaveAttributeAsync("data-series-count", "3");
        await Expect(swap).ToHaveAttributeAsync("data-points", "30");
        await Expect(page.Locator(".apexcharts-legend-text")).ToHaveTextAsync(s_dynos);

        var next = _t0.AddSeconds(200);
        await _app.PostAsync(App, new LogplexBody().Runtime(next, "web.2", 0.4, 300, 150));

        await Expect(swap).ToHaveAttributeAsync("data-points", "31");
        await Expect(swap).ToHaveAttributeAsync("data-last-x", Ms(next));
        await Expect(page.Locator(".dyno-chart__summary")).ToContainTextAsync("web.2: 150 MB now");
        await BrowserSession.ScreenshotAsync(page, "swap-posted");
    }

    [ChromiumFact]
    public async Task DeployAndRelease_Posted_MarkedOnTheSwapChartAndEverySparkline()
    {
        await PostRuntimeAsync(10);
        await _app.PostAsync(App, new LogplexBody()
            .Add(134, _t0.AddSeconds(60), "app", "api", "Deploy 1a2b3c4 by ops@example.com")
            .Add(134, _t0.AddSeconds(61), "app", "api", "Release v42 created by ops@example.com"));

        var page = await browser.OpenAsync(new Uri(_app.RootUri, $"apps/{App}/swap"));
        var swap = page.Locator(".dyno-chart__plot[data-chart='Swap per dyno']");
        await Expect(swap.Locator(".apexcharts-xaxis-annotations line")).ToHaveCountAsync(2);
        await Expect(swap.Locator(".apexcharts-xaxis-annotations text")).ToHaveTextAsync(["release", "deploy"]);

        await page.GotoAsync(new Uri(_app.RootUri, $"apps/{App}").ToString());
        // One sparkline per dyno, each with both lines and no labels (no room in 36 px).
        await Expect(page.Locator(".sparkline-cell .apexcharts-xaxis-annotations line")).ToHaveCountAsync(2 * s_dynos.Length);
        var labels = await page.Locator(".sparkline-cell .apexcharts-xaxis-annotations text").AllTextContentsAsync();
        Assert.All(labels, label => Assert.Equal("", label.Trim()));
        await BrowserSession.ScreenshotAsync(page, "fleet-rollout-markers");
    }

    [ChromiumFact]
    public async Task Compare_Web2HasTheTimeouts_OnlyWeb2Flagged()
    {
        var body = new LogplexBody();
        for (var i = 0; i < 30; i++)
        {
            foreach (var dyno in new[] { "web.1", "web.2", "web.3" })
            {
                body.Router(_t0.AddSeconds(i * 10), dyno);
            }

            if (i % 3 == 0)
            {
                body.Router(_t0.AddSeconds(i * 10 + 5), "web.2", status: 503, serviceMs: 30_000, code: "H12", desc: "Request timeout");
            }
        }

        await _app.PostAsync(App, body);
        var page = await browser.OpenAsync(new Uri(_app.RootUri, $"apps/{App}/compare"));

        await Expect(page.Locator(".compare-table .dyno-name")).ToHaveCountAsync(3);
        await Expect(page.Locator(".compare-table tr.dyno-row--concern .dyno-name")).ToHaveTextAsync("web.2");
        await Expect(page.Locator(".outlier-alert")).ToContainTextAsync("web.2 has 100 % of the errors");
        await BrowserSession.ScreenshotAsync(page, "compare-posted");
    }

    /// <summary>
    /// Freshness: POST a runtime sample → the open dyno page's load chart has drawn it (the module stamps the newest x
    /// after <c>updateOptions</c>). Samples arrive every <see cref="s_arrivalPeriod"/>: Heroku sends one per dyno
    /// every 20 s, so a sample normally finds the feed idle; back-to-back posting would measure the feed's deliberate
    /// 250-ms coalescing instead. Five warm-up rounds, then 30 measured. What the test asserts is that every posted
    /// sample reaches the chart; the timing is a measurement, written to artifacts/freshness.txt for docs/perf.md,
    /// not a pass/fail budget (timed assertions on a shared 2-core machine only measure the neighbours). Set
    /// <c>DYNO_FRESHNESS_BUDGET_MS</c> on a quiet machine to turn the figure into a check. Issue 7 asks for the figure with
    /// 20 dashboard pages open: <c>DYNO_FRESHNESS_PAGES=20</c> opens 19 more pages of the same dyno, each a circuit that
    /// re-renders its charts for every sample, before measuring the first (the suite opens one, to stay light). On one
    /// small machine those 19 browsers' chart drawing is most of the CPU, so by default the other pages load without
    /// ApexCharts: their circuits, renders and chart updates still run and reach the browser, which then draws nothing
    /// (as if each were drawn on its own user's machine). <c>DYNO_FRESHNESS_OTHERS_DRAW=1</c> draws them too.
    /// </summary>
    [ChromiumFact]
    public async Task DynoPage_RuntimeSamplesPosted_EachReachesTheChart_FreshnessRecorded()
    {
        const int warmUp = 5, measured = 30;
        await PostRuntimeAsync(10);
        var uri = new Uri(_app.RootUri, $"apps/{App}/dynos/web.1");
        var page = await browser.OpenAsync(uri);
        const string selector = ".dyno-chart__plot[data-chart='Load average']";
        await Expect(page.Locator(selector)).ToHaveAttributeAsync("data-last-x", Ms(_t0.AddSeconds(180)));
        var pages = int.TryParse(Environment.GetEnvironmentVariable("DYNO_FRESHNESS_PAGES"), CultureInfo.InvariantCulture, out var wanted)
            ? Math.Clamp(wanted, 1, 50)
            : 1;
        var othersDraw = Environment.GetEnvironmentVariable("DYNO_FRESHNESS_OTHERS_DRAW") == "1";
        for (var other = 1; other < pages; other++)
        {
            var more = await browser.OpenAsync(uri, beforeNavigation: othersDraw
                ? null
                : p => p.RouteAsync("**/lib/apexcharts/apexcharts*.js", route => route.AbortAsync()));
            if (othersDraw)
            {
                await Expect(more.Locator(selector)).ToHaveAttributeAsync("data-last-x", Ms(_t0.AddSeconds(180)));
            }
        }

        var latencies = new List<double>();
        using var arrivals = new PeriodicTimer(s_arrivalPeriod);
        for (var i = 0; i < warmUp + measured; i++)
        {
            // The arrival schedule of the workload, not a wait for a result: results are awaited below.
            await arrivals.WaitForNextTickAsync();
            var time = _t0.AddSeconds(200 + 20 * i);
            var stopwatch = Stopwatch.StartNew();
            await _app.PostAsync(App, new LogplexBody().Runtime(time, "web.1", 0.5 + i / 100.0, 300, 0));
            await page.WaitForFunctionAsync(
                "([sel, x]) => document.querySelector(sel)?.dataset.lastX === x", new[] { selector, Ms(time) });
            if (i >= warmUp)
            {
                latencies.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        latencies.Sort();
        var p50 = latencies[(int)Math.Ceiling(0.50 * latencies.Count) - 1];
        var p95 = latencies[(int)Math.Ceiling(0.95 * latencies.Count) - 1];
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        var report = string.Create(CultureInfo.InvariantCulture,
            $"freshness POST→chart over {latencies.Count} samples, {pages} pages open{(pages > 1 && !othersDraw ? " (the others not drawing)" : "")}: p50 {p50:0} ms, p95 {p95:0} ms, max {latencies[^1]:0} ms, min {latencies[0]:0} ms ({Environment.ProcessorCount} cores, load average {load})");
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(BrowserSession.ArtifactsFolder, "freshness.txt"), report + Environment.NewLine);
        Assert.Equal(measured, latencies.Count);
        if (double.TryParse(Environment.GetEnvironmentVariable("DYNO_FRESHNESS_BUDGET_MS"), NumberStyles.Float,
                CultureInfo.InvariantCulture, out var budget))
        {
            Assert.True(p95 <= budget, $"{report}; budget {budget} ms");
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit runs DisposeAsync before Dispose: the pages close while their dashboard still answers.
    public Task DisposeAsync() => browser.CloseTestPagesAsync();

    public void Dispose() => _app.Dispose();
}
