using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Components.Controls;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>
/// One dyno over a window: load, memory with its quota, requests per minute by status class and service-time
/// percentiles, with the dyno's errors and lifecycle events as chart markers and as a list.
/// </summary>
public sealed partial class DynoDetail : LiveAppPage
{
    /// <summary>How far back the live store keeps router rollups (360 × 10 s).</summary>
    internal static readonly TimeSpan RouterHistory = TimeSpan.FromHours(1);

    /// <summary>2xx green, 3xx blue, 4xx amber, 5xx red: the colours people read status classes by.</summary>
    internal static readonly IReadOnlyList<string> StatusColors = ["#43a047", "#1e88e5", "#fb8c00", "#e53935"];

    private const int MaxEvents = 500;

    /// <summary>The list shows the newest ones; re-rendering hundreds of rows four times a second buys nothing.</summary>
    internal const int ListedEvents = 100;

    private DynoSnapshot? _dyno;
    private DynoHealth _health = new(DynoConcern.None, "Healthy");
    private IReadOnlyList<ChartLine> _load = [];
    private IReadOnlyList<ChartLine> _memory = [];
    private IReadOnlyList<ChartLine> _requests = [];
    private IReadOnlyList<ChartLine> _service = [];
    private IReadOnlyList<EventMarker> _markers = [];
    private IReadOnlyList<DynoEvent> _events = [];
    private double? _quota;

    [Parameter]
    public string Dyno { get; set; } = string.Empty;

    private IReadOnlyList<BreadcrumbItem> Breadcrumbs =>
    [
        new BreadcrumbItem("Apps", ""),
        new BreadcrumbItem(App, $"apps/{App}"),
        new BreadcrumbItem(Dyno, null, disabled: true),
    ];

    protected override void Refresh()
    {
        var name = new DynoName(Dyno);
        _dyno = Store.GetDynos(App)?.FirstOrDefault(d => d.Name == name);
        if (_dyno is null)
        {
            return;
        }

        _health = DynoHealth.Assess(_dyno);
        var (from, to) = Range;
        ChartLine Line(string label, RuntimeMetric metric) => new(label, Store.GetSeries(App, name, metric, from, to) ?? []);
        _load = [Line("1 min", RuntimeMetric.LoadAvg1m), Line("5 min", RuntimeMetric.LoadAvg5m), Line("15 min", RuntimeMetric.LoadAvg15m)];
        _memory =
        [
            Line("total", RuntimeMetric.MemoryTotal), Line("RSS", RuntimeMetric.MemoryRss),
            Line("cache", RuntimeMetric.MemoryCache), Line("swap", RuntimeMetric.MemorySwap),
        ];
        _quota = _dyno.Latest is { MemoryQuotaMb: > 0 and var quota } ? quota : null;

        var width = RouterTraffic.BucketWidthFor(to - from, 300);
        var buckets = RouterTraffic.Rebucket(Store.GetRollups(App, name, from, to) ?? [], from, to, width);
        ChartLine Rate(string label, Func<StatusClassCounts, int> count) => new(label,
            [.. buckets.Select(b => new SeriesPoint(b.Start, RouterTraffic.PerMinute(count(b.StatusClasses), b, to)))]);
        _requests = [Rate("2xx", s => s.S2xx), Rate("3xx", s => s.S3xx), Rate("4xx", s => s.S4xx), Rate("5xx", s => s.S5xx)];
        ChartLine Percentile(string label, double p) => new(label,
            [.. buckets.Where(b => b.Service.Count > 0).Select(b => new SeriesPoint(b.Start, b.Service.Percentile(p)))]);
        _service = [Percentile("p50", 50), Percentile("p95", 95), Percentile("p99", 99)];

        _events = [.. (Store.GetEvents(App, name, null, MaxEvents) ?? []).Where(e => e.Time >= from && e.Time <= to)];
        // "Process running mem=…" always comes with an R14, which is marked already. Deploys and releases are the
        // app's, not the dyno's, so they come from the app-wide events.
        _markers = EventMarkers.Thin(_events.Where(e => e.Kind != DynoEventKind.MemoryUsage).Concat(Rollouts()), from, to, MarkerSlots);
    }
}
