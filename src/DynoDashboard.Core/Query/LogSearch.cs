using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Query;

/// <summary>
/// Where the table view and the logs API read lines from. The live buffer is one source; the history store
/// plugs in as another (or as one that stitches history behind the live buffer) without touching the search.
/// </summary>
public interface ILogLineSource
{
    /// <summary>
    /// The app's lines newest first, narrowed to <paramref name="oldest"/>..<paramref name="newest"/> (inclusive,
    /// either open) where the source can do so cheaply, and what of the window is no longer kept; null when the
    /// source has never heard of the app.
    /// </summary>
    LogLines? ReadNewestFirst(string app, DateTimeOffset? oldest, DateTimeOffset? newest);
}

/// <summary>The live store's recent-lines buffer as a source (a copy taken under its lock, newest first).</summary>
public sealed class LiveLogLineSource(LiveStore store) : ILogLineSource
{
    // The buffer holds minutes of lines; LogSearch applies the window, so nothing is gained by narrowing here.
    public LogLines? ReadNewestFirst(string app, DateTimeOffset? oldest, DateTimeOffset? newest) =>
        store.GetRecentLines(app, int.MaxValue) is { } recent
            ? new LogLines(recent, LogLines.Reaching(oldest, LostBefore(store, app, recent)))
            : null;

    /// <summary>The buffer's oldest time, when the buffer has lost lines before it (else nothing is missing).</summary>
    public static LinesKept? LostBefore(LiveStore store, string app, IReadOnlyList<LogLine> recent)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(recent);
        return OldestTime(recent) is { } oldest && store.HasLostLines(app) ? new LinesKept(oldest, LinesDeletedBy.LiveBuffer) : null;
    }

    /// <summary>The earliest time among the lines: arrival order is not time order (late lines), so not the last one.</summary>
    public static DateTimeOffset? OldestTime(IReadOnlyList<LogLine>? lines)
    {
        if (lines is null || lines.Count == 0)
        {
            return null;
        }

        var oldest = lines[0].Time;
        for (var i = 1; i < lines.Count; i++)
        {
            if (lines[i].Time < oldest)
            {
                oldest = lines[i].Time;
            }
        }

        return oldest;
    }
}

/// <summary>One page of a search: the newest <c>limit</c> matches, and how many lines matched in all.</summary>
public sealed record LogSearchResult(IReadOnlyList<LogLine> Lines, int Matched, int Scanned);

/// <summary>Runs a compiled query over a source's lines.</summary>
public static class LogSearch
{
    /// <summary>
    /// The first <paramref name="limit"/> matches of <paramref name="newestFirst"/> (so the newest) inside the time
    /// window, after skipping <paramref name="skip"/> matches (paging). Scans every line to count all matches: the
    /// table shows "n of m", and the live buffer is small; a large history source narrows by time before this.
    /// </summary>
    public static LogSearchResult Run(IEnumerable<LogLine> newestFirst, LogQuery query, DateTimeOffset? from,
        DateTimeOffset? to, int limit, int skip = 0)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);

        var lines = new List<LogLine>(Math.Min(limit, 1_024));
        var matched = 0;
        var scanned = 0;
        foreach (var line in Window(newestFirst, from, to))
        {
            scanned++;
            if (!query.Matches(line))
            {
                continue;
            }

            if (matched >= skip && lines.Count < limit)
            {
                lines.Add(line);
            }

            matched++;
        }

        return new LogSearchResult(lines, matched, scanned);
    }

    /// <summary>Every match inside the window, newest first (for group-by and key discovery).</summary>
    public static IEnumerable<LogLine> Matching(IEnumerable<LogLine> newestFirst, LogQuery query, DateTimeOffset? from, DateTimeOffset? to)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Window(newestFirst, from, to).Where(query.Matches);
    }

    // Lines can arrive late and out of order, so the window is a filter, not a place to stop reading.
    private static IEnumerable<LogLine> Window(IEnumerable<LogLine> lines, DateTimeOffset? from, DateTimeOffset? to)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (from is null && to is null)
        {
            return lines;
        }

        var low = from ?? DateTimeOffset.MinValue;
        var high = to ?? DateTimeOffset.MaxValue;
        return lines.Where(l => l.Time >= low && l.Time <= high);
    }
}
