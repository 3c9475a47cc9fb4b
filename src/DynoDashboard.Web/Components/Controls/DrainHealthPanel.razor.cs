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

    [Inject]
    public required IngestionCounters Counters { get; init; }

    protected override void Refresh()
    {
        _report = DrainHealth.Read(Store, App, Window);
        _drain = Counters.GetApp(App);
        _silentCount = _report?.Dynos.Count(d => d.Silent) ?? 0;
    }
}
