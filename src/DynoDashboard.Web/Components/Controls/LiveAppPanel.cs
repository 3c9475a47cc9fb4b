using DynoDashboard.Core.Live;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>
/// A panel about one app that refreshes itself when the app's data changes (<see cref="LiveFeed"/>, throttled),
/// so it can be dropped into a page with one line and stay live without the page's help. Pages derive from it
/// too (<c>LiveAppPage</c>): the feed throttles to at most one callback per 250 ms, so never more than ~4 renders
/// a second, and nothing polls.
/// </summary>
public abstract class LiveAppPanel : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private string? _subscribedApp;

    [Inject]
    public required LiveStore Store { get; init; }

    [Inject]
    public required LiveFeed Feed { get; init; }

    // Not EditorRequired: pages take it from the route.
    [Parameter]
    public string App { get; set; } = string.Empty;

    /// <summary>Re-reads what the panel shows; called on the renderer's thread.</summary>
    protected abstract void Refresh();

    /// <summary>Runs when the app's data may have changed; a page widens this to track the data's clock.</summary>
    protected virtual void Reload() => Refresh();

    protected override void OnParametersSet()
    {
        if (_subscribedApp != App)
        {
            _subscription?.Dispose();
            _subscribedApp = App;
            _subscription = Feed.Subscribe(App, () => InvokeAsync(() =>
            {
                Reload();
                StateHasChanged();
            }));
        }

        Reload();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
