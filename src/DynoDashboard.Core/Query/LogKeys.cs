using System.Text;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Query;

/// <summary>A logfmt key seen in the data and how often (a key repeated within one line counts each time).</summary>
public sealed record LogKeyCount(string Key, int Count);

/// <summary>The keys the table view offers as columns, found in the data rather than hard-coded.</summary>
public static class LogKeys
{
    /// <summary>Distinct keys tracked at most: app lines can carry any number of one-off keys (ids as keys).</summary>
    public const int MaxTracked = 2_000;

    /// <summary>Keys longer than this are junk, not columns.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>
    /// The distinct logfmt keys of <paramref name="lines"/> (plus <c>code</c> for <c>Error R14 (…)</c> lines), the most
    /// frequent first, then by name, at most <paramref name="max"/>. Once <see cref="MaxTracked"/> keys are known,
    /// new ones are ignored, so memory stays bounded whatever the lines hold.
    /// </summary>
    public static IReadOnlyList<LogKeyCount> Collect(IEnumerable<LogLine> lines, int max = 50)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentOutOfRangeException.ThrowIfNegative(max);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        // Looked up by the decoded key span, so a key already known costs no string per line.
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> chars = stackalloc char[MaxKeyLength];
        byte[]? scratch = null;
        foreach (var line in lines)
        {
            var seenCode = false;
            var reader = new LogfmtReader(LogLineFields.Encode(line.Message, ref scratch));
            while (reader.MoveNext())
            {
                if (!reader.HasValue || reader.Key.IsEmpty || reader.Key.Length > MaxKeyLength)
                {
                    continue;
                }

                var key = chars[..Encoding.UTF8.GetChars(reader.Key, chars)];
                seenCode |= key.SequenceEqual(LogLineFields.CodeKey);
                Count(lookup, counts.Count, key);
            }

            if (!seenCode && !LogLineFields.FindCode(line.Message).IsEmpty)
            {
                Count(lookup, counts.Count, LogLineFields.CodeKey);
            }
        }

        return [.. counts
            .OrderByDescending(c => c.Value)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(max)
            .Select(c => new LogKeyCount(c.Key, c.Value))];
    }

    private static void Count(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, int known, ReadOnlySpan<char> key)
    {
        if (lookup.TryGetValue(key, out var count))
        {
            lookup[key] = count + 1;
        }
        else if (known < MaxTracked)
        {
            lookup[key] = 1;
        }
    }
}
