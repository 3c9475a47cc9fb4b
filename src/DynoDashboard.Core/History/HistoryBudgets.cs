using DynoDashboard.Core.Query;

namespace DynoDashboard.Core.History;

/// <summary>
/// What history keeps per app and in all (<c>Storage:RetentionDays</c>, <c>:MaxLogLinesPerApp</c>, <c>:MaxLogLines</c>
/// and <c>Storage:Apps:{app}:…</c>). Each app has its own line cap, so a busy app cannot evict a quiet one's lines; the
/// overall cap only bounds the file, and takes from the app holding the most lines first (history.md, "Budgets").
/// </summary>
public sealed record HistoryBudgets
{
    /// <summary>Days kept for apps without an override of their own.</summary>
    public int RetentionDays { get; init; } = 7;

    /// <summary>Stored log lines kept at most per app, for apps without an override of their own.</summary>
    public int MaxLogLinesPerApp { get; init; } = 100_000;

    /// <summary>Stored log lines kept at most in the whole file, whatever the per-app caps add up to.</summary>
    public int MaxLogLines { get; init; } = 1_000_000;

    /// <summary>Overrides by app name.</summary>
    public IReadOnlyDictionary<string, AppHistoryBudget> Apps { get; init; } =
        new Dictionary<string, AppHistoryBudget>(StringComparer.Ordinal);

    /// <summary>One cap shared by every app, as before per-app budgets: for tests and tools that set a single number.</summary>
    public static HistoryBudgets Shared(int maxLogLines) => new() { MaxLogLines = maxLogLines, MaxLogLinesPerApp = maxLogLines };

    /// <summary>The app's line cap: its own, or the default, never above the overall cap.</summary>
    public long LineCap(string app) =>
        Math.Min(MaxLogLines, Apps.TryGetValue(app, out var own) && own.MaxLogLines is { } cap ? cap : MaxLogLinesPerApp);

    public int RetentionDaysOf(string app) =>
        Apps.TryGetValue(app, out var own) && own.RetentionDays is { } days ? days : RetentionDays;

    /// <summary>The longest retention of any app: documents older than that go whichever app they belong to.</summary>
    public int LongestRetentionDays => Apps.Values.Select(a => a.RetentionDays ?? 0).Append(RetentionDays).Max();

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RetentionDays);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxLogLinesPerApp);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxLogLines);
        foreach (var (app, own) in Apps)
        {
            if (own.RetentionDays is <= 0 || own.MaxLogLines is <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Apps), $"The budget of '{app}' must be positive.");
            }
        }
    }
}

/// <summary>One app's own retention and line cap; null keeps the default.</summary>
public sealed record AppHistoryBudget(int? RetentionDays = null, int? MaxLogLines = null);
