using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Core.History;

/// <summary>
/// Log search over the live buffer and history, newest first: the live buffer's lines for the part of the window it
/// holds, then history's app and raw lines and its events (as the lines they came from) for the older part.
/// <para>
/// The seam is the time of the oldest line the live buffer returns: every live line is at or after it, and history
/// answers only what is before it, so nothing is read twice. Lines at the seam's own tick are taken from history too
/// (the buffer may have dropped some of them) unless the buffer still holds an equal line. History keeps no text of
/// plain router and runtime lines (they live on as rollups and samples), so those are found only while live.
/// </para>
/// </summary>
public sealed class HistoryLogLineSource(LiveStore live, IHistoryStore history) : ILogLineSource
{
    /// <summary>
    /// History rows of each kind (lines, events) one search reads at most, newest first: every match is counted, so
    /// this bounds a search over a long window to a few hundred MB for the moment it runs.
    /// </summary>
    public const int MaxHistoryRows = 1_000_000;

    public LogLines? ReadNewestFirst(string app, DateTimeOffset? oldest, DateTimeOffset? newest)
    {
        var recent = live.GetRecentLines(app, int.MaxValue);
        var seam = LiveLogLineSource.OldestTime(recent);
        var start = oldest ?? DateTimeOffset.MinValue;
        if (recent is not null && seam is { } covered && start > covered)
        {
            return new LogLines(recent, []); // the window lies inside the live buffer: the cheap path, as without history
        }

        var before = Exclusive(newest ?? DateTimeOffset.MaxValue);
        if (seam is { } s && Exclusive(s) < before)
        {
            before = Exclusive(s);
        }

        var lines = history.GetLines(app, start, before, MaxHistoryRows);
        var events = history.GetEvents(app, null, null, start, before, MaxHistoryRows);
        if (recent is null && lines.Count == 0 && events.Count == 0 && !history.GetApps().Contains(app, StringComparer.Ordinal))
        {
            return null;
        }

        var older = Merge(lines, events, AtSeam(recent, seam));
        // Before the seam only what history keeps as text is found (when the buffer lost anything), and before the
        // app's kept-from mark not even that.
        var notKept = LogLines.Reaching(oldest, recent is null ? null : LiveLogLineSource.LostBefore(live, app, recent),
            history.GetLinesKept(app));
        return new LogLines(recent is null ? older : recent.Concat(older), notKept);
    }

    /// <summary>The line a stored event came from, as the live buffer files it: a router error is a router line.</summary>
    public static LogLine ToLine(DynoEvent dynoEvent)
    {
        ArgumentNullException.ThrowIfNull(dynoEvent);
        var kind = dynoEvent.Kind == DynoEventKind.RouterError ? LineKind.Router : LineKind.Event;
        return new LogLine(dynoEvent.Time, dynoEvent.Source, dynoEvent.ProcId, dynoEvent.Dyno, kind, dynoEvent.Message);
    }

    // Open ends stay open; otherwise one tick later, since history's upper bound is exclusive.
    private static DateTimeOffset Exclusive(DateTimeOffset time) => time == DateTimeOffset.MaxValue ? time : time.AddTicks(1);

    private static List<LogLine> AtSeam(IReadOnlyList<LogLine>? recent, DateTimeOffset? seam) =>
        recent is null || seam is not { } s ? [] : [.. recent.Where(l => l.Time == s)];

    /// <summary>Two newest-first lists as one, leaving out history rows at the seam that the live buffer still holds.</summary>
    private static IEnumerable<LogLine> Merge(IReadOnlyList<LogLine> lines, IReadOnlyList<DynoEvent> events, List<LogLine> liveAtSeam)
    {
        int l = 0, e = 0;
        while (l < lines.Count || e < events.Count)
        {
            var line = e >= events.Count || (l < lines.Count && lines[l].Time >= events[e].Time) ? lines[l++] : ToLine(events[e++]);
            if (liveAtSeam.Count > 0 && line.Time == liveAtSeam[0].Time && liveAtSeam.Remove(line))
            {
                continue;
            }

            yield return line;
        }
    }
}
