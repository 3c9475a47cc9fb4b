using DynoDashboard.Core.Live;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>
/// The list of apps that have sent logs, kept live through the <see cref="LiveFeed"/>. With exactly one app there
/// is nothing to choose, so the page goes straight to that app's fleet.
/// </summary>
public sealed partial class Home : ComponentBase, IDisposable
{
    private IReadOnlyList<AppSummary> _apps = [];
    private IDisposable? _subscription;

    [Inject]
    public required LiveStore Store { get; init; }

    [Inject]
    public required LiveFeed Feed { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override void OnInitialized()
    {
        _apps = Store.GetApps();
        if (_apps.Count == 1)
        {
            // Replace: Back from the fleet should leave the dashboard, not bounce through here again.
            Navigation.NavigateTo($"apps/{Uri.EscapeDataString(_apps[0].Name)}", replace: true);
            return;
        }

        // Any app: a new one appearing changes this page. The feed throttles, so this is at most ~4 renders/s.
        _subscription = Feed.Subscribe(null, () => InvokeAsync(() =>
        {
            _apps = Store.GetApps();
            StateHasChanged();
        }));
    }

    public void Dispose() => _subscription?.Dispose();
}
