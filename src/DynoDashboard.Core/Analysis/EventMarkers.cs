using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Analysis;

/// <summary>A chart marker: the first event of a kind in a time slot, with how many of that kind the slot held.</summary>
public sealed record EventMarker(DateTimeOffset Time, string Label, bool IsError);

/// <summary>
/// Turns a dyno's events into chart markers a reader can still tell apart: a swapping dyno logs R14 every 20 s and a
/// timing-out one H12 every few seconds, so each label gets one marker per slot (its first event, with a count).
/// </summary>
public static class EventMarkers
{
    public static IReadOnlyList<EventMarker> Thin(
        IEnumerable<DynoEvent> events, DateTimeOffset from, DateTimeOffset to, int slots)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        var slotTicks = Math.Max(1, (to - from).Ticks / slots);
        return events
            .Where(e => e.Time >= from && e.Time <= to)
            .GroupBy(e => (Label: LabelOf(e), Slot: (e.Time - from).Ticks / slotTicks))
            .Select(g =>
            {
                var first = g.MinBy(e => e.Time)!;
                var count = g.Count();
                var label = count == 1 ? g.Key.Label : $"{g.Key.Label} ×{count}";
                return new EventMarker(first.Time, label, first.Code is not null);
            })
            .OrderBy(m => m.Time)
            .ToList();
    }

    /// <summary>
    /// Deploys and releases (rollbacks included). They are app-wide (<c>app[api]</c>, no dyno), and "did it start with
    /// the deploy?" is asked of every chart, so every time chart of the app marks them, per-dyno charts included.
    /// </summary>
    public static bool IsRollout(DynoEvent dynoEvent)
    {
        ArgumentNullException.ThrowIfNull(dynoEvent);
        return dynoEvent.Kind is DynoEventKind.Deploy or DynoEventKind.Release;
    }

    /// <summary>The error code, or a short word for a lifecycle event (markers have little room).</summary>
    public static string LabelOf(DynoEvent dynoEvent)
    {
        ArgumentNullException.ThrowIfNull(dynoEvent);
        return dynoEvent.Code?.Code ?? dynoEvent.Kind switch
        {
            DynoEventKind.StateChanged => dynoEvent.ToState ?? "state",
            DynoEventKind.Starting => "start",
            DynoEventKind.Restarting => "restart",
            DynoEventKind.Cycling => "cycle",
            DynoEventKind.Stopping => "stop",
            DynoEventKind.Killed => "kill",
            DynoEventKind.Exited => "exit",
            DynoEventKind.MemoryUsage => "mem",
            var other => other.ToString().ToLowerInvariant(),
        };
    }
}
