using System.Globalization;
using System.Net;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Web.Ingestion;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>
/// Is everything arriving? Per dyno, runtime samples against one expected every 20 s and a silent flag; per app,
/// Logplex's L10–L15 errors, duplicate frames and count mismatches. Opens by itself when a dyno is silent, because
/// every other figure about that dyno is then stale.
/// </summary>
public sealed partial class DrainHealthPanel : LiveAppPanel
{
    /// <summary>The same default window as <c>GET /api/apps/{app}/drain-health</c>.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private DrainHealthReport? _report;
    private AppDrainStatus? _drain;
    private int _silentCount;

    /// <summary>Whether the panel is open: it opens when a dyno falls silent, and the user opens and closes it.</summary>
    private bool _open;

    [Inject]
    public required IngestionCounters Counters { get; init; }

    protected override void Refresh()
    {
        _report = DrainHealth.Read(Store, App, Window);
        _drain = Counters.GetApp(App);
        var silentCount = _report?.Dynos.Count(d => d.Silent) ?? 0;

        // The panel follows its Expanded parameter only when that changes (a first silent dyno, or the last one
        // reporting again); in between, the user's choice stands.
        if ((silentCount > 0) != (_silentCount > 0))
        {
            _open = silentCount > 0;
        }

        _silentCount = silentCount;

        // Closed, the panel shows the summary only; the per-dyno list would stay in the circuit for nothing.
        if (!_open && _report is { Dynos.Count: > 0 })
        {
            _report = _report with { Dynos = [] };
        }
    }

    /// <summary>A dyno's row as one markup frame instead of about 30; every value is HTML-encoded here.</summary>
    internal static MarkupString Row(DynoCompleteness dyno)
    {
        var name = WebUtility.HtmlEncode(dyno.Dyno.Value);
        var state = WebUtility.HtmlEncode(dyno.Silent ? "silent" : dyno.State ?? "—");
        var completeness = dyno.CompletenessPercent is { } p ? $"{Formats.Number(p)} %" : "—";
        var lastSample = dyno.LastSample is { } sample ? Formats.Time(sample) : "—";
        var lastSeen = dyno.LastSeen is { } seen ? Formats.Time(seen) : "—";
        return new MarkupString(string.Create(CultureInfo.InvariantCulture,
            $"<tr class=\"{(dyno.Silent ? "drain-dyno drain-dyno--silent" : "drain-dyno")}\" data-dyno=\"{name}\"><td>{name}</td><td>{state}</td>" +
            $"<td>{dyno.SamplesReceived} / {dyno.SamplesExpected}</td><td>{completeness}</td><td>{lastSample}</td><td>{lastSeen}</td></tr>"));
    }

    private void OnExpandedChanged(bool open)
    {
        _open = open;
        Refresh();
    }
}
