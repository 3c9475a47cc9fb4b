using System.Globalization;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Web.Api;

/// <summary>One row of <c>GET /api/apps/{app}/logs</c>: the line and its logfmt pairs (keys as Heroku writes them).</summary>
public sealed record LogRowResponse(
    DateTimeOffset Time,
    string Source,
    string? Dyno,
    string Kind,
    string Message,
    IReadOnlyDictionary<string, string> Fields)
{
    public static LogRowResponse From(LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in LogLineFields.Read(line))
        {
            fields[key] = value;
        }

        return new LogRowResponse(line.Time, line.Source, line.Dyno?.Value, LogLineFields.KindName(line.Kind), line.Message, fields);
    }
}

/// <summary>
/// Log lines as RFC 4180 CSV: a header row, CRLF line ends, a field quoted when it holds a comma, a quote, CR or
/// LF, quotes doubled. Columns: time, source, dyno, kind, message, then every logfmt key of the lines, most
/// frequent first; a key named like a fixed column becomes <c>fields.&lt;key&gt;</c> (runtime lines carry
/// <c>source=</c> and <c>dyno=</c>).
/// </summary>
public static class LogCsv
{
    private static readonly string[] s_fixedColumns = ["time", "source", "dyno", "kind", "message"];

    public static async Task WriteAsync(Stream stream, IReadOnlyList<LogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(lines);
        var keys = LogKeys.Collect(lines, int.MaxValue).Select(k => k.Key).ToArray();
        await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), bufferSize: 16 * 1024);
        writer.NewLine = "\r\n";

        var header = s_fixedColumns.Concat(keys.Select(k => s_fixedColumns.Contains(k) ? "fields." + k : k));
        await writer.WriteLineAsync(string.Join(',', header.Select(Escape)).AsMemory(), cancellationToken);

        var row = new string[s_fixedColumns.Length + keys.Length];
        foreach (var line in lines)
        {
            row[0] = line.Time.ToString("O", CultureInfo.InvariantCulture);
            row[1] = line.Source;
            row[2] = line.Dyno?.Value ?? string.Empty;
            row[3] = LogLineFields.KindName(line.Kind);
            row[4] = line.Message;
            var fields = LogLineFields.Read(line);
            for (var i = 0; i < keys.Length; i++)
            {
                var at = fields.FindIndex(f => f.Key == keys[i]);
                row[s_fixedColumns.Length + i] = at < 0 ? string.Empty : fields[at].Value;
            }

            await writer.WriteLineAsync(string.Join(',', row.Select(Escape)).AsMemory(), cancellationToken);
        }
    }

    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        // Paths and app output are attacker-controlled: a cell starting with = + - @ (or a tab/CR) would run as a
        // formula when the CSV is opened in a spreadsheet, so such text gets a leading apostrophe (OWASP's advice).
        // Plain numbers such as -5 stay numbers.
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !double.TryParse(field, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            field = "'" + field;
        }

        return field.AsSpan().IndexOfAny(",\"\r\n") < 0
            ? field
            : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
