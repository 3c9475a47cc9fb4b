using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Components.Controls;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>The live swap chart: <c>memory_swap</c> of every dyno of the app, one line each, named by the dyno, with
/// the app's deploys and releases marked.</summary>
public sealed partial class Swap : LiveAppPage
{
    private IReadOnlyList<ChartLine> _lines = [];
    private IReadOnlyList<EventMarker> _markers = [];

    protected override void Refresh()
    {
        var (from, to) = Range;
        _lines =
        [
            .. (Store.GetDynos(App) ?? []).Select(d =>
                new ChartLine(d.Name.Value, Store.GetSeries(App, d.Name, RuntimeMetric.MemorySwap, from, to) ?? [])),
        ];
        _markers = EventMarkers.Thin(Rollouts(), from, to, MarkerSlots);
    }
}
