using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Components.Controls;
using Microsoft.AspNetCore.Components;
using MudBlazor;

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

    // The inside of MudIcon's <svg>, drawn without a MudIcon component per row.
    private static readonly MarkupString s_healthyIcon = new(Icons.Material.Filled.CheckCircle);
    private static readonly MarkupString s_concernIcon = new(Icons.Material.Filled.Warning);

    // Rows are kept per dyno and updated in place, so a refresh four times a second allocates no new row objects.
    private readonly Dictionary<DynoName, FleetRow> _rows = [];
    private List<IGrouping<string, FleetRow>> _groups = [];

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
