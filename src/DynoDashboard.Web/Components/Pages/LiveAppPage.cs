using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Components.Controls;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>
/// A page about one app that stays live (through <see cref="LiveAppPanel"/>'s throttled feed subscription) and
/// shows a window of time that ends at the app's newest data, not the wall clock.
/// </summary>
public abstract class LiveAppPage : LiveAppPanel
{
    /// <summary>At most one marker per event label in each tenth of the window: more labels overlap and can't be read.</summary>
    protected const int MarkerSlots = 10;

    [Inject]
    public required TimeProvider Time { get; init; }

    /// <summary>False until the app has sent something.</summary>
    protected bool Known { get; private set; }

    /// <summary>The app's newest data time (the wall clock for an app with no data yet).</summary>
    protected DateTimeOffset DataEnd { get; private set; }

    protected ChartWindow Window { get; private set; } = ChartWindow.OneHour;

    protected (DateTimeOffset From, DateTimeOffset To) Range => Window.EndingAt(DataEnd);

    /// <summary>The app's deploys and releases held live, newest first: the markers every time chart shows.</summary>
    protected IEnumerable<DynoEvent> Rollouts() =>
        (Store.GetEvents(App, DynoName.NoDyno, null, int.MaxValue) ?? []).Where(EventMarkers.IsRollout);

    protected void SelectWindow(ChartWindow window)
    {
        Window = window;
        Reload();
    }

    protected override void Reload()
    {
        var summary = Store.GetApps().FirstOrDefault(a => a.Name == App);
        Known = summary is not null;
        DataEnd = summary?.LastSeen ?? Time.GetUtcNow();
        Refresh();
    }
}
