using DynoDashboard.Core.Live;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>The list of apps that have sent logs, kept live through the <see cref="LiveFeed"/>.</summary>
public sealed partial class Home : ComponentBase, IDisposable
{
    private IReadOnlyList<AppSummary> _apps = [];
    private IDisposable? _subscription;

    [Inject]
    public required LiveStore Store { get; init; }

    [Inject]
    public required LiveFeed Feed { get; init; }

    protected override void OnInitialized()
    {
        _apps = Store.GetApps();
        // Any app: a new one appearing changes this page. The feed throttles, so this is at most ~4 renders/s.
        _subscription = Feed.Subscribe(null, () => InvokeAsync(() =>
        {
            _apps = Store.GetApps();
            StateHasChanged();
        }));
    }

    public void Dispose() => _subscription?.Dispose();
}
