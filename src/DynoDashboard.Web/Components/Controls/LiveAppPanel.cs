using DynoDashboard.Core.Live;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>
/// A panel about one app that refreshes itself when the app's data changes (<see cref="LiveFeed"/>, throttled),
/// so it can be dropped into a page with one line and stay live without the page's help.
/// </summary>
public abstract class LiveAppPanel : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private string? _subscribedApp;

    [Inject]
    public required LiveStore Store { get; init; }

    [Inject]
    public required LiveFeed Feed { get; init; }

    [Parameter, EditorRequired]
    public string App { get; set; } = string.Empty;

    /// <summary>Re-reads what the panel shows; called on the renderer's thread.</summary>
    protected abstract void Refresh();

    protected override void OnParametersSet()
    {
        if (_subscribedApp != App)
        {
            _subscription?.Dispose();
            _subscribedApp = App;
            _subscription = Feed.Subscribe(App, () => InvokeAsync(() =>
            {
                Refresh();
                StateHasChanged();
            }));
        }

        Refresh();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
