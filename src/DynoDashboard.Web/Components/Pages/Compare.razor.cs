using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Components.Controls;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>
/// Dyno usage side by side over a window: shares of requests and errors, rates, p95, load and memory peaks, as bar
/// charts and a sortable table. A dyno whose error share is far above its traffic share is called out by name.
/// </summary>
public sealed partial class Compare : LiveAppPage
{
    internal static readonly IReadOnlyList<string> ShareColors = ["#1e88e5", "#e53935"];

    private IReadOnlyList<DynoUsage> _rows = [];
    private IReadOnlyList<string> _categories = [];
    private IReadOnlyList<BarSeries> _shares = [];
    private IReadOnlyList<BarSeries> _errorsByCode = [];
    private IReadOnlyList<BarSeries> _p95 = [];
    private IReadOnlyList<BarSeries> _memory = [];

    protected override void Refresh()
    {
        var (from, to) = Range;
        var activity = (Store.GetDynos(App) ?? [])
            .Select(d => new DynoActivity(
                d.Name,
                RouterRollupSnapshot.Merge(from, to, Store.GetRollups(App, d.Name, from, to) ?? []),
                Store.GetSeries(App, d.Name, RuntimeMetric.LoadAvg1m, from, to) ?? [],
                Store.GetSeries(App, d.Name, RuntimeMetric.MemoryTotal, from, to) ?? [],
                Store.GetSeries(App, d.Name, RuntimeMetric.MemorySwap, from, to) ?? []))
            .ToList();
        // Traffic is only held for the last hour, so rates are per minute of the part that is held.
        var trafficSpan = Window.Span < DynoDetail.RouterHistory ? Window.Span : DynoDetail.RouterHistory;
        _rows = DynoComparison.Compare(activity, trafficSpan);

        _categories = [.. _rows.Select(r => r.Dyno.Value)];
        _shares =
        [
            new BarSeries("requests", [.. _rows.Select(r => r.RequestShare * 100)]),
            new BarSeries("errors", [.. _rows.Select(r => r.ErrorShare * 100)]),
        ];
        _errorsByCode =
        [
            .. _rows.SelectMany(r => r.ErrorsByCode.Keys).Distinct().Order(StringComparer.Ordinal)
                .Select(code => new BarSeries(code, [.. _rows.Select(r => (double)r.ErrorsByCode.GetValueOrDefault(code))])),
        ];
        _p95 = [new BarSeries("p95", [.. _rows.Select(r => r.P95ServiceMs)])];
        _memory =
        [
            new BarSeries("max memory", [.. _rows.Select(r => r.MaxMemoryMb)]),
            new BarSeries("max swap", [.. _rows.Select(r => r.MaxSwapMb)]),
        ];
    }

    // MudTable sorts with Comparer<T>.Default; NaN (no data) sorts as the smallest value.
    private static double Sortable(double value) => double.IsNaN(value) ? double.NegativeInfinity : value;
}
