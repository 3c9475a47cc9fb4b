using System.Diagnostics.CodeAnalysis;
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

    // MudIcon's markup as one frame per row, without a MudIcon component (or an attribute frame each) per row.
    private static readonly MarkupString s_healthyIcon = MudMarkup.Icon(Icons.Material.Filled.CheckCircle, "mud-success-text mud-icon-size-small");
    private static readonly MarkupString s_concernIcon = MudMarkup.Icon(Icons.Material.Filled.Warning, "mud-error-text mud-icon-size-small");

    // Rows are kept per dyno and updated in place, so a refresh four times a second allocates no new row objects.
    private readonly Dictionary<DynoName, FleetRow> _rows = [];
    private List<FleetGroup> _groups = [];
    private IReadOnlyList<EventMarker> _sparkMarkers = [];
    private bool _virtualize;

    /// <summary>
    /// A fleet of more dynos than this renders only the rows in view, in every table. 30 rows are more than a screen,
    /// and a smaller fleet keeps every row (and sparkline) in the page, so finding one with the browser's search works.
    /// </summary>
    internal const int VirtualizeAbove = 30;

    /// <summary>A dense row with its 36-px sparkline; only the first guess of &lt;Virtualize&gt;, which then measures.</summary>
    private const float RowHeightPx = 53;

    internal sealed record FleetGroup(string Key, List<FleetRow> Rows);

    /// <summary>
    /// What a row shows, copied out of the dyno's snapshot. A circuit keeps a row per dyno, also for the dynos out of
    /// view of &lt;Virtualize&gt;, so a row keeps neither the snapshot's incarnation list nor its error dictionary
    /// (docs/perf.md, memory per circuit).
    /// </summary>
    internal sealed class FleetRow
    {
        public FleetRow(DynoSnapshot dyno)
        {
            Name = dyno.Name;
            Update(dyno);
        }

        public DynoName Name { get; }

        public string? State { get; private set; }

        public DateTimeOffset? IncarnationSince { get; private set; }

        public RuntimeSample? Latest { get; private set; }

        /// <summary>Errors of the last hour by code, the most frequent first.</summary>
        public KeyValuePair<string, int>[] Errors { get; private set; }

        public DynoHealth Health { get; private set; }

        public double RequestsPerMinute { get; set; }

        [MemberNotNull(nameof(Errors), nameof(Health))]
        public void Update(DynoSnapshot dyno)
        {
            State = dyno.State;
            IncarnationSince = dyno.IncarnationSince;
            Latest = dyno.Latest;
            Errors = dyno.ErrorsByCode.Count == 0 ? [] : [.. dyno.ErrorsByCode.OrderByDescending(e => e.Value)];
            Health = DynoHealth.Assess(dyno);
        }
    }

    private (DateTimeOffset From, DateTimeOffset To) SparkRange => ChartWindow.OneHour.EndingAt(DataEnd);

    /// <summary>
    /// A row's sparkline series, read from the store as the row renders rather than in <see cref="Refresh"/> for every
    /// dyno: with &lt;Virtualize&gt; only the rows in view render, so a circuit holds series only for those and none
    /// for the dynos out of view (docs/perf.md, memory per circuit).
    /// </summary>
    private IReadOnlyList<ChartLine> Sparkline(DynoName dyno)
    {
        var (from, to) = SparkRange;
        return [new ChartLine("memory", Store.GetSeries(App, dyno, RuntimeMetric.MemoryTotal, from, to) ?? [])];
    }

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
            if (_rows.TryGetValue(dyno.Name, out var row))
            {
                row.Update(dyno);
            }
            else
            {
                _rows[dyno.Name] = row = new FleetRow(dyno);
            }

            row.RequestsPerMinute = RouterTraffic.RequestsPerMinute(
                Store.GetRollups(App, dyno.Name, rateFrom, rateTo) ?? [], rateFrom, rateTo);
        }

        _virtualize = dynos.Count > VirtualizeAbove;
        _groups = [.. dynos.GroupBy(d => d.ProcessType).Select(g => new FleetGroup(g.Key, [.. g.Select(d => _rows[d.Name])]))];
    }
}
