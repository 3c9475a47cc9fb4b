using System.Globalization;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Web.Analysis;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>
/// The fleet's insights: sibling outliers with their evidence (each signal against the sibling median), memory
/// trends ("reaches the quota in about 35 min", "swapping since 12:04") and silent dynos. Reads the same
/// <see cref="InsightEndpoints.Read"/> as the API, so the page and <c>/api/apps/{app}/insights</c> never disagree.
/// </summary>
public sealed partial class InsightsPanel : LiveAppPanel
{
    // The icons MudAlert shows for Severity.Error and Severity.Warning, as one markup frame each.
    private static readonly MarkupString s_errorIcon = MudMarkup.Icon(Icons.Material.Filled.ErrorOutline, "mud-icon-size-medium");
    private static readonly MarkupString s_warningIcon = MudMarkup.Icon(Icons.Material.Outlined.ReportProblem, "mud-icon-size-medium");

    private IReadOnlyList<InsightResponse> _insights = [];
    private IReadOnlyList<DynoCompleteness> _silent = [];

    [Inject]
    public required InsightBoard Board { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    protected override void Refresh()
    {
        if (Store.GetDynos(App) is null)
        {
            _insights = [];
            _silent = [];
            return;
        }

        _insights = InsightEndpoints.Read(Store, Board, App, Time.GetUtcNow());
        _silent = DrainHealth.Read(Store, App, DrainHealthPanel.Window)?.Dynos.Where(d => d.Silent).ToList() ?? [];
    }

    internal static string SignalText(InsightSignalResponse signal) => signal.SiblingMedian is { } median
        ? string.Create(CultureInfo.InvariantCulture, $"{signal.Name}: {signal.Value:0.##} (sibling median {median:0.##})")
        : string.Create(CultureInfo.InvariantCulture, $"{signal.Name}: {signal.Value:0.##}");
}
