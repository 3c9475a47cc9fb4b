using System.Globalization;
using Npgsql;

namespace DynoDashboard.Postgres;

/// <summary>
/// The day partitions of the partitioned fact tables: created on demand inside the write that first needs a day,
/// and dropped whole by retention. Names carry the day (<c>samples_20261206</c>), so the set is known without
/// parsing partition bounds. Only the writer (one thread at a time) uses this.
/// </summary>
internal sealed class DayPartitions
{
    /// <summary>The partitioned tables, each ranged on its <c>t</c> column.</summary>
    public static readonly string[] Tables = ["samples", "rollups", "events", "lines"];

    private const string DayFormat = "yyyyMMdd";

    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    /// <summary>Reads the partitions that exist (at start and after a failed write, whose creations rolled back).</summary>
    public void Load(NpgsqlConnection connection)
    {
        _known.Clear();
        foreach (var table in Tables)
        {
            foreach (var (name, _) in List(connection, table))
            {
                _known.Add(name);
            }
        }
    }

    /// <summary>Creates the partition of <paramref name="table"/> holding <paramref name="time"/> unless it is known or
    /// in <paramref name="createdNow"/>, the ones this transaction made (noted as known once it commits).</summary>
    public void Ensure(NpgsqlConnection connection, string table, DateTimeOffset time, HashSet<string> createdNow)
    {
        var day = time.UtcDateTime.Date;
        var name = Name(table, day);
        if (_known.Contains(name) || !createdNow.Add(name))
        {
            return;
        }

        // IF NOT EXISTS: another instance (issue 12) may have made it since Load.
        using var create = new NpgsqlCommand(
            $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {table} FOR VALUES FROM ('{Literal(day)}') TO ('{Literal(day.AddDays(1))}')",
            connection);
        create.ExecuteNonQuery();
    }

    /// <summary>Notes partitions created by a transaction that committed.</summary>
    public void Created(IEnumerable<string> names) => _known.UnionWith(names);

    public void Dropped(string name) => _known.Remove(name);

    /// <summary>The partitions of <paramref name="table"/> with their day, oldest first.</summary>
    public static List<(string Name, DateTime Day)> List(NpgsqlConnection connection, string table)
    {
        using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass",
            connection)
        {
            Parameters = { new() { Value = table } },
        };
        var partitions = new List<(string, DateTime)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            if (DateTime.TryParseExact(name.AsSpan(table.Length + 1), DayFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
            {
                partitions.Add((name, day));
            }
        }

        return [.. partitions.OrderBy(p => p.Item2)];
    }

    private static string Name(string table, DateTime day) =>
        string.Concat(table, "_", day.ToString(DayFormat, CultureInfo.InvariantCulture));

    // A timestamptz literal in UTC; built from a DateTime, never from input, so it needs no quoting beyond this.
    private static string Literal(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00";
}
