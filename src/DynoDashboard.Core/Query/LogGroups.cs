using System.Text;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Query;

/// <summary>
/// One group of a group-by: its key, how many lines, and, when a numeric key was asked for, statistics over the
/// lines that carry it (in the base unit of <see cref="LogGroupReport.Unit"/>).
/// </summary>
public sealed record LogGroup(string Key, int Count, int ValueCount, double? Average, double? P95, double? Max);

/// <summary>The result of <see cref="LogGroups.Compute"/>: groups with the most lines first, the overflow group last.</summary>
public sealed record LogGroupReport(string By, string? Value, string? Unit, int Lines, IReadOnlyList<LogGroup> Groups);

/// <summary>
/// Group-by over matching lines: "which dyno had the H12s" (<c>by=dyno</c> after <c>code:H12</c>) or "service
/// time per dyno" (<c>by=dyno, value=service</c>), the <c>groupby(source)</c> workflow.
/// </summary>
public static class LogGroups
{
    /// <summary>Distinct groups kept; the rest are counted under <see cref="OtherGroup"/> (a path key can have thousands).</summary>
    public const int DefaultMaxGroups = 200;

    public const string OtherGroup = "(other)";

    /// <summary>
    /// Groups <paramref name="lines"/> by <paramref name="by"/> (a line field — <c>dyno</c>, <c>code</c>, <c>kind</c>,
    /// <c>source</c>, <c>proc</c> — or any logfmt key; lines without it form <see cref="LogLineFields.NoValue"/>).
    /// With <paramref name="value"/>, reads that logfmt key as a number with its unit and reports average, p95
    /// (nearest rank: the ⌈0.95·n⌉-th smallest) and max per group. The dimension of the first value read wins;
    /// values of another dimension or not numeric are left out of the statistics but the line still counts.
    /// </summary>
    public static LogGroupReport Compute(IEnumerable<LogLine> lines, string by, string? value = null, int maxGroups = DefaultMaxGroups)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentException.ThrowIfNullOrEmpty(by);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroups, 1);

        var byUtf8 = Encoding.UTF8.GetBytes(by);
        var valueUtf8 = value is null ? null : Encoding.UTF8.GetBytes(value);
        var groups = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        QuantityDimension? dimension = null;
        byte[]? scratch = null;
        var total = 0;
        foreach (var line in lines)
        {
            total++;
            var message = LogLineFields.Encode(line.Message, ref scratch);
            var key = LogLineFields.Value(line, by, byUtf8, message) ?? LogLineFields.NoValue;
            if (!groups.TryGetValue(key, out var group))
            {
                if (groups.Count >= maxGroups)
                {
                    key = OtherGroup;
                }

                group = groups.TryGetValue(key, out var existing) ? existing : groups[key] = new Accumulator();
            }

            group.Count++;
            if (valueUtf8 is not null && LogfmtReader.TryFind(message, valueUtf8, out var raw)
                && HerokuQuantity.TryRead(valueUtf8, raw, out var quantity)
                && (dimension ??= quantity.Dimension) == quantity.Dimension)
            {
                group.Values.Add(quantity.Value);
            }
        }

        var result = groups
            .Select(g => g.Value.ToGroup(g.Key))
            .OrderBy(g => g.Key == OtherGroup) // the overflow is not a group a user picked; it goes last
            .ThenByDescending(g => g.Count)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var unit = dimension is { } d && d != QuantityDimension.Plain ? HerokuQuantity.BaseUnit(d) : null;
        return new LogGroupReport(by, value, unit, total, result);
    }

    /// <summary>The ⌈0.95·n⌉-th smallest of <paramref name="sorted"/> (nearest rank, no interpolation: a value that occurred).</summary>
    internal static double P95(List<double> sorted) => sorted[(int)Math.Ceiling(0.95 * sorted.Count) - 1];

    private sealed class Accumulator
    {
        public int Count { get; set; }

        public List<double> Values { get; } = [];

        public LogGroup ToGroup(string key)
        {
            if (Values.Count == 0)
            {
                return new LogGroup(key, Count, 0, null, null, null);
            }

            Values.Sort();
            return new LogGroup(key, Count, Values.Count, Values.Average(), P95(Values), Values[^1]);
        }
    }
}
