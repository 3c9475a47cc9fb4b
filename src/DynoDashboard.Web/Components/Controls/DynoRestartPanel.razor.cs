using DynoDashboard.Core.History;
using System.Globalization;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Heroku;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>
/// The dyno's memory headroom in one line, and, when a Heroku API token is configured, a guarded "Restart dyno"
/// (confirmed in a dialog, attributed to the signed-in user) with the dyno's restart audit. The token itself is
/// never read here: <see cref="DynoRestarter.Enabled"/> only says whether there is one.
/// </summary>
public sealed partial class DynoRestartPanel : LiveAppPanel
{
    private string _headroomText = "Memory trend: not enough samples yet.";
    private bool _headroomConcern;
    private bool _restarting;
    private IReadOnlyList<RestartRecord> _audit = [];

    [Parameter, EditorRequired]
    public string Dyno { get; set; } = string.Empty;

    [Inject]
    public required DynoRestarter Restarter { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required AuthenticationStateProvider Authentication { get; init; }

    protected override void Refresh()
    {
        var headroom = FleetHeadroom.Read(Store, App).FirstOrDefault(h => h.Dyno.Value == Dyno).Headroom;
        (_headroomText, _headroomConcern) = Describe(headroom);
        _audit = [.. Restarter.GetAudit(App).Where(r => r.Dyno == Dyno)];
    }

    internal static (string Text, bool Concern) Describe(MemoryHeadroom? headroom)
    {
        if (headroom is null)
        {
            return ("Memory trend: not enough samples yet.", false);
        }

        var inv = CultureInfo.InvariantCulture;
        var now = string.Format(inv, "Memory {0:0} MB of {1:0} MB", headroom.CurrentMb, headroom.QuotaMb);
        if (headroom.SwappingSince is { } since)
        {
            return (string.Format(inv, "{0}; swapping since {1:HH:mm} UTC", now, since), true);
        }

        return headroom.MinutesToQuota is { } minutes
            ? (string.Format(inv, "{0}; +{1:0.0} MB/min, reaches the quota in about {2:0} min", now, headroom.TrendMbPerMinute, minutes), minutes <= 60)
            : (now + "; no upward trend", false);
    }

    private async Task ConfirmRestartAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Restart dyno",
            $"Restart {Dyno} of {App}? Heroku stops it and starts a new one; its in-flight requests fail.",
            yesText: "Restart",
            cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        _restarting = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User.Identity?.Name;
            var record = await Restarter.RestartAsync(App, new DynoName(Dyno), user is { Length: > 0 } ? user : "dashboard user",
                automatic: false, "restarted from the dyno page", CancellationToken.None);
            Snackbar.Add(record.Performed ? $"Restart of {Dyno} sent: {record.Outcome}" : $"{Dyno} not restarted: {record.Outcome}",
                record.Performed ? Severity.Success : Severity.Error);
        }
        finally
        {
            _restarting = false;
            Refresh();
        }
    }
}
