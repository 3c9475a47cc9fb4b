using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>
/// A page about one app that stays live: it subscribes to the app on the <see cref="LiveFeed"/> (which throttles to
/// at most one callback per 250 ms, so at most ~4 renders a second), re-reads what it shows in <see cref="Refresh"/>
/// and renders. It never polls. Windows end at the app's newest data time, not the wall clock.
/// </summary>
public abstract class LiveAppPage : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private string? _subscribedApp;

    [Inject]
    public required LiveStore Store { get; init; }

    [Inject]
    public required LiveFeed Feed { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Parameter]
    public string App { get; set; } = string.Empty;

    /// <summary>False until the app has sent something.</summary>
    protected bool Known { get; private set; }

    /// <summary>The app's newest data time (the wall clock for an app with no data yet).</summary>
    protected DateTimeOffset DataEnd { get; private set; }

    protected ChartWindow Window { get; private set; } = ChartWindow.OneHour;

    protected (DateTimeOffset From, DateTimeOffset To) Range => Window.EndingAt(DataEnd);

    /// <summary>Re-reads the page's data from the store; called on the renderer's thread.</summary>
    protected abstract void Refresh();

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

    protected void SelectWindow(ChartWindow window)
    {
        Window = window;
        Reload();
    }

    private void Reload()
    {
        var summary = Store.GetApps().FirstOrDefault(a => a.Name == App);
        Known = summary is not null;
        DataEnd = summary?.LastSeen ?? Time.GetUtcNow();
        Refresh();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
