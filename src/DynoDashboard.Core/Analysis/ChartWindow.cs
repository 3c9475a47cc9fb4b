using System.Globalization;

namespace DynoDashboard.Core.Analysis;

/// <summary>
/// A look-back span a page shows (15 min, 1 h, 6 h, 24 h), ending at the app's newest data time rather than
/// the wall clock, so replayed logs read the same as live ones.
/// </summary>
public readonly record struct ChartWindow(TimeSpan Span)
{
    public static readonly ChartWindow FifteenMinutes = new(TimeSpan.FromMinutes(15));
    public static readonly ChartWindow OneHour = new(TimeSpan.FromHours(1));
    public static readonly ChartWindow SixHours = new(TimeSpan.FromHours(6));
    public static readonly ChartWindow OneDay = new(TimeSpan.FromHours(24));

    public static IReadOnlyList<ChartWindow> All { get; } = [FifteenMinutes, OneHour, SixHours, OneDay];

    /// <summary>"15m", "1h", "6h", "24h": short enough for a toggle and a query string.</summary>
    public string Label => Span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{Span.TotalHours:0}h")
        : string.Create(CultureInfo.InvariantCulture, $"{Span.TotalMinutes:0}m");

    /// <summary>The window by its <see cref="Label"/>; <paramref name="fallback"/> for anything else.</summary>
    public static ChartWindow Parse(string? label, ChartWindow fallback) =>
        All.FirstOrDefault(w => string.Equals(w.Label, label, StringComparison.OrdinalIgnoreCase)) is { Span.Ticks: > 0 } found
            ? found
            : fallback;

    /// <summary>[end − span, end].</summary>
    public (DateTimeOffset From, DateTimeOffset To) EndingAt(DateTimeOffset end) => (end - Span, end);
}
