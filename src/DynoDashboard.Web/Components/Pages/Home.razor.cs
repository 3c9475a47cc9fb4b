using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Web.Analysis;
using DynoDashboard.Web.Api;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>
/// The list of apps that have sent logs, kept live through the <see cref="LiveFeed"/>: each app's dynos, health and
/// last data, with rename and delete (confirmed first, since history goes too). With exactly one app there is
/// nothing to choose, so the page goes straight to that app's fleet.
/// </summary>
public sealed partial class Home : ComponentBase, IDisposable
{
    private List<AppRow> _apps = [];
    private IDisposable? _subscription;
    private string? _renaming;
    private string _newName = string.Empty;
    private string? _message;

    [Inject]
    public required LiveStore Store { get; init; }

    [Inject]
    public required LiveFeed Feed { get; init; }

    [Inject]
    public required InsightBoard Board { get; init; }

    [Inject]
    public required AppAdmin Admin { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override void OnInitialized()
    {
        _apps = ReadApps();
        if (_apps.Count == 1)
        {
            // Replace: Back from the fleet should leave the dashboard, not bounce through here again.
            Navigation.NavigateTo($"apps/{Uri.EscapeDataString(_apps[0].Name)}", replace: true);
            return;
        }

        // Any app: a new one appearing changes this page. The feed throttles, so this is at most ~4 renders/s.
        _subscription = Feed.Subscribe(null, () => InvokeAsync(() =>
        {
            _apps = ReadApps();
            StateHasChanged();
        }));
    }

    private List<AppRow> ReadApps()
    {
        var now = Time.GetUtcNow();
        return [.. Store.GetApps().Select(app =>
        {
            var dynos = Store.GetDynos(app.Name) ?? [];
            return new AppRow(app.Name, app.DynoCount, app.LastSeen,
                InsightEndpoints.Read(Store, Board, app.Name, now).Count,
                dynos.Count(d => d.Latest is { MemorySwapMb: > 0 }),
                dynos.Sum(d => d.ErrorsLastHour));
        })];
    }

    private void StartRename(string app)
    {
        _renaming = app;
        _newName = app;
    }

    private async Task RenameAsync(string app)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Rename app",
            $"Rename {app} to {_newName}, with its history? Point its Heroku drain at /drain/{_newName} afterwards.",
            yesText: "Rename", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var (result, _) = await Admin.RenameAsync(app, _newName, CancellationToken.None);
        _message = result switch
        {
            AppRenameResult.Renamed => $"Renamed {app} to {_newName}.",
            AppRenameResult.NameTaken => $"{_newName} already has data; delete it first (apps are not merged).",
            _ => $"{app} is gone already.",
        };
        _renaming = null;
        _apps = ReadApps();
    }

    private async Task DeleteAsync(string app)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete app",
            $"Delete {app} and all its history? Remove its Heroku drain first, or the next batch brings it back.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        _message = await Admin.DeleteAsync(app, CancellationToken.None) is null ? $"{app} is gone already." : $"Deleted {app}.";
        _apps = ReadApps();
    }

    public void Dispose() => _subscription?.Dispose();

    internal sealed record AppRow(string Name, int DynoCount, DateTimeOffset? LastSeen, int Insights, int Swapping, int ErrorsLastHour)
    {
        public string HealthText => string.Join(", ", new[]
        {
            Insights > 0 ? $"{Insights} insight{(Insights == 1 ? "" : "s")}" : null,
            Swapping > 0 ? $"{Swapping} swapping" : null,
            ErrorsLastHour > 0 ? $"{ErrorsLastHour} error{(ErrorsLastHour == 1 ? "" : "s")} in the last hour" : null,
        }.Where(s => s is not null));
    }
}
