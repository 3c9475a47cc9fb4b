using DynoDashboard.Core.Model;

namespace DynoDashboard.Postgres;

/// <summary>The <c>samples</c> columns of the runtime metrics, in <see cref="RuntimeMetric"/> order (one per metric,
/// NULL where a reading half lacks it), and the merging of halves the embedded store does on write.</summary>
internal static class SampleColumns
{
    public const int Count = 10;

    private static readonly string[] s_names =
    [
        "load_1m", "load_5m", "load_15m", "memory_total", "memory_rss", "memory_cache", "memory_swap",
        "memory_quota", "memory_pgpgin", "memory_pgpgout",
    ];

    /// <summary>Heroku sends load and memory as two lines within a second; halves this close are one reading
    /// (SampleHour's rule), and the merged reading keeps the first half's time.</summary>
    public static readonly TimeSpan SameReading = TimeSpan.FromSeconds(1);

    /// <summary>How far before a range reads start: a half just before it may be the first half of a reading in it.</summary>
    private static readonly TimeSpan s_mergeLead = TimeSpan.FromMinutes(1);

    public static string All { get; } = string.Join(", ", s_names);

    /// <summary>Where a read for readings from <paramref name="start"/> begins (UTC, and no earlier than MinValue).</summary>
    public static DateTimeOffset LeadIn(DateTimeOffset start) =>
        start.UtcTicks - DateTimeOffset.MinValue.UtcTicks < s_mergeLead.Ticks ? DateTimeOffset.MinValue : start.ToUniversalTime() - s_mergeLead;

    public static string Of(RuntimeMetric metric) => s_names[(int)metric];

    /// <summary>Whether a half at <paramref name="time"/> joins the reading first seen at <paramref name="reading"/>
    /// (halves read in time order).</summary>
    public static bool Joins(DateTimeOffset reading, DateTimeOffset time) => time - reading <= SameReading;
}
