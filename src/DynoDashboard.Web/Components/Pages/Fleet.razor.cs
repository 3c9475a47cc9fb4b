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

    private List<IGrouping<string, FleetRow>> _groups = [];

    internal sealed record FleetRow(DynoSnapshot Dyno, DynoHealth Health, double RequestsPerMinute, IReadOnlyList<ChartLine> Sparkline);

    private (DateTimeOffset From, DateTimeOffset To) SparkRange => ChartWindow.OneHour.EndingAt(DataEnd);

    protected override void Refresh()
    {
        var dynos = Store.GetDynos(App) ?? [];
        var (sparkFrom, sparkTo) = SparkRange;
        _groups = dynos
            .Select(d => new FleetRow(
                d,
                DynoHealth.Assess(d),
                RouterTraffic.RequestsPerMinute(
                    Store.GetRollups(App, d.Name, DataEnd - s_rateWindow, DataEnd) ?? [], DataEnd - s_rateWindow, DataEnd),
                [new ChartLine("memory", Store.GetSeries(App, d.Name, RuntimeMetric.MemoryTotal, sparkFrom, sparkTo) ?? [])]))
            .GroupBy(r => r.Dyno.ProcessType)
            .ToList();
    }
}
