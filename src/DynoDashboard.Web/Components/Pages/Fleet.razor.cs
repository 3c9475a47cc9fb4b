using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Components.Controls;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>
/// One row per dyno, grouped by process type: state, incarnation age, load, memory against the quota, swap,
/// traffic, errors by code and a memory sparkline. A swapping or erroring dyno gets a warning icon, red text
/// saying why, and a tinted row.
/// </summary>
public sealed partial class Fleet : LiveAppPage
{
    /// <summary>"Requests per minute" is the rate over the last five minutes: steady, yet current.</summary>
    private static readonly TimeSpan s_rateWindow = TimeSpan.FromMinutes(5);

    // Rows are kept per dyno and updated in place: the table keys rows by item, so a new object per refresh would
    // tear down and re-create every sparkline four times a second.
    private readonly Dictionary<DynoName, FleetRow> _rows = [];
    private List<IGrouping<string, FleetRow>> _groups = [];
    private IReadOnlyList<EventMarker> _sparkMarkers = [];

    internal sealed class FleetRow(DynoSnapshot dyno)
    {
        public DynoSnapshot Dyno { get; set; } = dyno;

        public DynoHealth Health { get; set; } = DynoHealth.Assess(dyno);

        public double RequestsPerMinute { get; set; }

        public IReadOnlyList<ChartLine> Sparkline { get; set; } = [];
    }

    private (DateTimeOffset From, DateTimeOffset To) SparkRange => ChartWindow.OneHour.EndingAt(DataEnd);

    protected override void Refresh()
    {
        var dynos = Store.GetDynos(App) ?? [];
        var (sparkFrom, sparkTo) = SparkRange;
        var (rateFrom, rateTo) = (DataEnd - s_rateWindow, DataEnd);
        _sparkMarkers = EventMarkers.Thin(Rollouts(), sparkFrom, sparkTo, MarkerSlots);
        foreach (var gone in _rows.Keys.Except(dynos.Select(d => d.Name)).ToList())
        {
            _rows.Remove(gone);
        }

        foreach (var dyno in dynos)
        {
            if (!_rows.TryGetValue(dyno.Name, out var row))
            {
                _rows[dyno.Name] = row = new FleetRow(dyno);
            }

            row.Dyno = dyno;
            row.Health = DynoHealth.Assess(dyno);
            row.RequestsPerMinute = RouterTraffic.RequestsPerMinute(
                Store.GetRollups(App, dyno.Name, rateFrom, rateTo) ?? [], rateFrom, rateTo);
            row.Sparkline = [new ChartLine("memory", Store.GetSeries(App, dyno.Name, RuntimeMetric.MemoryTotal, sparkFrom, sparkTo) ?? [])];
        }

        _groups = [.. dynos.Select(d => _rows[d.Name]).GroupBy(r => r.Dyno.ProcessType)];
    }
}
