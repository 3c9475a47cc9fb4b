using System.Collections.Concurrent;
using System.Text.Json;
using Bunit;
using Bunit.TestDoubles;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Query;
using DynoDashboard.Web.Components.Controls;
using DynoDashboard.Web.Components.Layout;
using DynoDashboard.Core.History;
using DynoDashboard.Web.Heroku;
using DynoDashboard.Web.History;
using DynoDashboard.Web.Ingestion;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DynoDashboard.Web.Tests.Components;

/// <summary>
/// bUnit with MudBlazor, the real <see cref="LiveStore"/> and <see cref="LiveFeed"/>, and the real parser: tests push
/// Logplex bodies through <see cref="HerokuLogParser"/> into the store, exactly as the ingestion service does. The
/// chart and theme modules are set up so tests can assert what was sent to the browser.
/// </summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    /// <summary>The plot width the fake chart module reports: charts must never send more points per series.</summary>
    public const int PlotWidth = 400;

    public static readonly DateTimeOffset T0 = TestTime.At(10);

    private readonly HerokuLogParser _parser = new();
    private readonly ConcurrentQueue<JsonElement[]> _updates = new();
    private readonly SemaphoreSlim _updateArrived = new(0);

    protected DashboardTestContext()
    {
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        Store = new LiveStore(new LiveStoreOptions());
        // A short interval keeps tests quick; the throttling itself is LiveFeed's and tested there.
        Feed = new LiveFeed(TimeSpan.FromMilliseconds(20));
        Services.AddSingleton(Store);
        Services.AddSingleton(Feed);
        Services.AddSingleton<ILogLineSource>(new LiveLogLineSource(Store));
        Services.AddSingleton(TimeProvider.System);
        Board = new InsightBoard();
        Services.AddSingleton(Board);
        Services.AddSingleton(new IngestionCounters());
        Services.AddSingleton(Storage);
        Services.AddSingleton<IOperationsLog>(new MemoryOperationsLog());
        Services.AddSingleton<IOptions<HerokuOptions>>(_ => Options.Create(Heroku));
        Services.AddSingleton(sp => new DynoRestarter(
            new HerokuPlatformClient(new HttpClient(), sp.GetRequiredService<IOptions<HerokuOptions>>()),
            Store, sp.GetRequiredService<IOptions<HerokuOptions>>(), TimeProvider.System, sp.GetRequiredService<IOperationsLog>()));
        Authorization = AddAuthorization();
        Authorization.SetAuthorized("operator");

        ChartModule = JSInterop.SetupModule(ChartBase.ModulePath);
        ChartModule.Setup<int>("plotWidth", _ => true).SetResult(PlotWidth);
        ChartModule.SetupVoid("initializeChart", _ => true).SetVoidResult();
        ChartModule.SetupVoid("updateChart", invocation =>
        {
            // The call lands after the render that caused it, so render-driven waits can't see it; signal instead.
            _updates.Enqueue(invocation.Arguments.Skip(1).Select(a => JsonSerializer.SerializeToElement(a)).ToArray());
            _updateArrived.Release();
            return true;
        }).SetVoidResult();
        ChartModule.SetupVoid("disposeChart", _ => true).SetVoidResult();
        ThemeModule = JSInterop.SetupModule(MainLayout.ThemeModulePath);
    }

    protected LiveStore Store { get; }

    /// <summary>What the storage banner in the main layout shows.</summary>
    protected DynoDashboard.Web.Storage.StorageHealth Storage { get; } = new();

    protected LiveFeed Feed { get; }

    /// <summary>Heroku settings the restarter reads when first resolved: set the token and base URL before rendering.</summary>
    protected HerokuOptions Heroku { get; } = new();

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>The insight board pages read; tests evaluate it themselves, as the evaluator does every 10 s.</summary>
    protected InsightBoard Board { get; }

    protected BunitJSModuleInterop ChartModule { get; }

    protected BunitJSModuleInterop ThemeModule { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are IAsyncDisposable only; xUnit v2 disposes through IAsyncLifetime.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Parses <paramref name="body"/> into the store and tells the feed, as the ingestion service does.</summary>
    protected void Ingest(string app, LogplexBody body)
    {
        var sink = Store.GetWriter(app);
        _parser.ParseLogplexBody(body.ToBytes(), ref sink);
        Feed.Publish(app);
    }

    /// <summary>
    /// Ten minutes of a small fleet: web.1, web.2, web.3 and worker.1 every 20 s; web.2 swaps more and more and
    /// answers an H12 every 30 s, the others serve cleanly.
    /// </summary>
    protected void IngestFleet(string app = "shop", int minutes = 10)
    {
        var body = new LogplexBody();
        for (var s = 0; s < minutes * 60; s += 20)
        {
            var time = T0.AddSeconds(s);
            foreach (var dyno in new[] { "web.1", "web.2", "web.3", "worker.1" })
            {
                var swap = dyno == "web.2" ? s / 10.0 : 0;
                body.Runtime(time, dyno, dyno == "web.2" ? 2.5 : 0.4, dyno == "web.2" ? 500 : 300, swap);
                if (dyno.StartsWith("web", StringComparison.Ordinal))
                {
                    body.Router(time.AddSeconds(1), dyno).Router(time.AddSeconds(2), dyno);
                }
            }

            if (s % 30 == 0)
            {
                body.Router(time.AddSeconds(3), "web.2", status: 503, serviceMs: 30_000, code: "H12", desc: "Request timeout");
            }
        }

        Ingest(app, body);
    }

    /// <summary>A deploy at <see cref="Rollout"/> and the release it made a second later, as <c>app[api]</c> logs them.</summary>
    protected void IngestRollout(string app = "shop") => Ingest(app, new LogplexBody()
        .Add(134, Rollout, "app", "api", "Deploy 1a2b3c4 by ops@example.com")
        .Add(134, Rollout.AddSeconds(1), "app", "api", "Release v42 created by ops@example.com"));

    /// <summary>When <see cref="IngestRollout"/> deploys: inside every window of <see cref="IngestFleet"/>'s data.</summary>
    protected static DateTimeOffset Rollout => T0.AddMinutes(3);

    /// <summary>The (time, label) pairs of a chart's markers argument, as the chart module gets them.</summary>
    protected static IReadOnlyList<(DateTimeOffset Time, string Label)> MarkersOf(JsonElement markers) =>
        [.. markers.EnumerateArray().Select(m =>
            (DateTimeOffset.FromUnixTimeMilliseconds(m.GetProperty("x").GetInt64()), m.GetProperty("label").GetString()!))];

    /// <summary>What <see cref="IngestRollout"/> puts on a chart, newest first as the chart payload orders markers.</summary>
    protected static IReadOnlyList<(DateTimeOffset Time, string Label)> RolloutMarkers =>
        [(Rollout.AddSeconds(1), "release"), (Rollout, "deploy")];

    /// <summary>
    /// The arguments after the element of the module's calls to <paramref name="identifier"/>, as the JSON the browser
    /// gets: <c>initializeChart</c> → [config, series]; <c>updateChart</c> → [series, xMin, xMax, markers, categories].
    /// </summary>
    protected IReadOnlyList<JsonElement[]> Calls(string identifier) =>
        [.. ChartModule.Invocations[identifier].Select(i => i.Arguments.Skip(1).Select(a => JsonSerializer.SerializeToElement(a)).ToArray())];

    /// <summary>Waits (up to the bUnit wait timeout) for an <c>updateChart</c> call whose arguments match.</summary>
    protected async Task<JsonElement[]> WaitForUpdateAsync(Func<JsonElement[], bool> match)
    {
        using var timeout = new CancellationTokenSource(DefaultWaitTimeout);
        while (true)
        {
            if (_updates.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await _updateArrived.WaitAsync(timeout.Token);
        }
    }

    /// <summary>Series names and point counts of one call's series argument.</summary>
    protected static IReadOnlyList<(string Name, int Points)> SeriesOf(JsonElement series) =>
        [.. series.EnumerateArray().Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("data").GetArrayLength()))];
}
