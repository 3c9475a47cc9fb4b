using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Query;

/// <summary>Why lines of an app before some time are gone.</summary>
public enum LinesDeletedBy
{
    /// <summary>The app's own cap (<c>Storage:MaxLogLinesPerApp</c> or <c>Storage:Apps:{app}:MaxLogLines</c>).</summary>
    AppCap,

    /// <summary>The overall cap (<c>Storage:MaxLogLines</c>), which takes from the app holding the most lines first.</summary>
    DiskCap,

    /// <summary>Retention (<c>Storage:RetentionDays</c> or <c>Storage:Apps:{app}:RetentionDays</c>).</summary>
    Retention,

    /// <summary>The live buffer let them go: history keeps no text of plain router and runtime lines (they live on as
    /// rollups and samples), so before the buffer's oldest line only app lines, raw lines and events are found.</summary>
    LiveBuffer,
}

/// <summary>
/// Lines of an app at or after <see cref="From"/> are all kept (of the kinds <see cref="DeletedBy"/> names); some
/// before it are gone, the last time by <see cref="DeletedBy"/>.
/// </summary>
public readonly record struct LinesKept(DateTimeOffset From, LinesDeletedBy DeletedBy);

/// <summary>
/// A source's lines for one search, newest first, and what of the window they no longer hold: the reasons, the latest
/// <see cref="LinesKept.From"/> first; empty when the lines are the whole window. Responses say so (the logs API's
/// <c>X-History-Kept-From</c> header, the Logs page's notice) rather than look complete.
/// </summary>
public sealed record LogLines(IEnumerable<LogLine> NewestFirst, IReadOnlyList<LinesKept> NotKept)
{
    /// <summary>Every line at or after this time is there; null when nothing of the window is missing.</summary>
    public DateTimeOffset? KeptFrom => NotKept.Count == 0 ? null : NotKept[0].From;

    /// <summary>The reasons that apply to a window starting at <paramref name="start"/>, latest first.</summary>
    public static IReadOnlyList<LinesKept> Reaching(DateTimeOffset? start, params ReadOnlySpan<LinesKept?> marks)
    {
        var from = start ?? DateTimeOffset.MinValue;
        var notKept = new List<LinesKept>(marks.Length);
        foreach (var mark in marks)
        {
            if (mark is { } kept && from < kept.From)
            {
                notKept.Add(kept);
            }
        }

        notKept.Sort((a, b) => b.From.CompareTo(a.From));
        return notKept;
    }
}
