using System.Text;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Query;

/// <summary>
/// What the table view, the filter language, group-by and export read from a <see cref="LogLine"/>: the kind's
/// name, the H/R/L code and the logfmt pairs of the message. One place, so a column, a filter and a group agree.
/// </summary>
public static class LogLineFields
{
    /// <summary>The pseudo key for the error code: router <c>code=H12</c> or <c>Error R14 (…)</c> at the start of an event.</summary>
    public const string CodeKey = "code";

    /// <summary>Group name for lines that lack the grouped key.</summary>
    public const string NoValue = "(none)";

    /// <summary>The lower-case name used by <c>kind:</c>, the JSON and the CSV: <c>router</c>, <c>runtime</c>, <c>event</c>, <c>app</c>, <c>raw</c>.</summary>
    public static string KindName(LineKind kind) => kind switch
    {
        LineKind.Runtime => "runtime",
        LineKind.Router => "router",
        LineKind.Event => "event",
        LineKind.App => "app",
        _ => "raw",
    };

    public static bool TryParseKind(ReadOnlySpan<char> name, out LineKind kind)
    {
        foreach (var candidate in Enum.GetValues<LineKind>())
        {
            if (name.Equals(KindName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>
    /// The H, R or L code of a line: the logfmt <c>code=</c> of router lines, or <c>Error R14 (…)</c>,
    /// <c>Error H12 (…) -&gt; GET</c> (pre-2012 router) and <c>Error L12: …</c> at the start of the message.
    /// Only the start counts, so app text that mentions "Error H12" mid-sentence is not an error line.
    /// </summary>
    public static ReadOnlySpan<char> FindCode(string message)
    {
        var text = message.AsSpan().TrimStart(' ');
        if (text.StartsWith("Error ", StringComparison.Ordinal) && text.Length >= 9 && IsCode(text.Slice(6, 3))
            && (text.Length == 9 || text[9] is ' ' or ':' or '('))
        {
            return text.Slice(6, 3);
        }

        // Router lines: "at=error code=H12 desc=…" — the code is the second pair, so this scan stops early.
        var at = text.IndexOf(" code=", StringComparison.Ordinal);
        if (at >= 0 && text.Length >= at + 9 && IsCode(text.Slice(at + 6, 3)) && (text.Length == at + 9 || text[at + 9] == ' '))
        {
            return text.Slice(at + 6, 3);
        }

        return text.StartsWith("code=", StringComparison.Ordinal) && text.Length >= 8 && IsCode(text.Slice(5, 3))
            && (text.Length == 8 || text[8] == ' ')
            ? text.Slice(5, 3)
            : default;
    }

    /// <summary>
    /// The logfmt pairs of the message in order (first occurrence of a key wins, as in <see cref="LogfmtReader.TryFind"/>),
    /// values unquoted, plus <c>code</c> for <c>Error R14 (…)</c> lines. Bare words are left out. Allocates: for
    /// export and the table's visible rows, not for filtering.
    /// </summary>
    public static List<KeyValuePair<string, string>> Read(LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var pairs = new List<KeyValuePair<string, string>>();
        var bytes = Encoding.UTF8.GetBytes(line.Message);
        var reader = new LogfmtReader(bytes);
        while (reader.MoveNext())
        {
            if (!reader.HasValue || reader.Key.IsEmpty)
            {
                continue;
            }

            var key = Encoding.UTF8.GetString(reader.Key);
            if (!pairs.Exists(p => p.Key == key))
            {
                pairs.Add(new(key, LogfmtReader.Unescape(reader.Value)));
            }
        }

        if (!pairs.Exists(p => p.Key == CodeKey) && FindCode(line.Message) is { IsEmpty: false } code)
        {
            pairs.Add(new(CodeKey, code.ToString()));
        }

        return pairs;
    }

    /// <summary>
    /// The value a group-by or column shows for <paramref name="key"/>: the line's own <c>dyno</c>, <c>kind</c>,
    /// <c>source</c>, <c>proc</c> and <c>code</c>, else the logfmt value; null when the line lacks it.
    /// </summary>
    public static string? Value(LogLine line, string key)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(key);
        byte[]? scratch = null;
        return Value(line, key, Encoding.UTF8.GetBytes(key), Encode(line.Message, ref scratch));
    }

    /// <summary><see cref="Value(LogLine, string)"/> over a message already encoded once for several lookups.</summary>
    internal static string? Value(LogLine line, string key, ReadOnlySpan<byte> keyUtf8, ReadOnlySpan<byte> message)
    {
        switch (key)
        {
            case "dyno":
                return line.Dyno?.Value;
            case "kind":
                return KindName(line.Kind);
            case "source":
                return line.Source.Length == 0 ? null : line.Source;
            case "proc":
                return line.ProcId.Length == 0 ? null : line.ProcId;
            case CodeKey:
                var code = FindCode(line.Message);
                return code.IsEmpty ? null : code.ToString();
        }

        return LogfmtReader.TryFind(message, keyUtf8, out var value) ? LogfmtReader.Unescape(value) : null;
    }

    /// <summary>
    /// The message as UTF-8 in <paramref name="scratch"/>, grown to fit (3 bytes per UTF-16 unit at most), so a
    /// loop over many lines reuses one buffer instead of allocating an array per line.
    /// </summary>
    internal static ReadOnlySpan<byte> Encode(string message, ref byte[]? scratch)
    {
        var needed = message.Length * 3;
        if (scratch is null || scratch.Length < needed)
        {
            scratch = new byte[Math.Max(needed, 1_024)];
        }

        return scratch.AsSpan(0, Encoding.UTF8.GetBytes(message, scratch));
    }

    private static bool IsCode(ReadOnlySpan<char> code) =>
        code[0] is 'H' or 'R' or 'L' && char.IsAsciiDigit(code[1]) && char.IsAsciiDigit(code[2]);
}
