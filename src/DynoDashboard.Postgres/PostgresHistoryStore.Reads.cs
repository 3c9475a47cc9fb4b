using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using Npgsql;

namespace DynoDashboard.Postgres;

/// <summary>The read side: every call takes its own pooled connection, so readers run beside the writer.</summary>
public sealed partial class PostgresHistoryStore
{
    public IReadOnlyList<SeriesPoint> GetSeries(
        string app, DynoName dyno, RuntimeMetric metric, DateTimeOffset start, DateTimeOffset until)
    {
        var points = new List<SeriesPoint>();
        if (until < start)
        {
            return points;
        }

        using var connection = OpenConnection();
        using var command = new NpgsqlCommand(
            $"SELECT t, {SampleColumns.Of(metric)} FROM samples WHERE app = $1 AND dyno = $2 AND t >= $3 AND t <= $4 ORDER BY t",
            connection)
        {
            Parameters =
            {
                new() { Value = app }, new() { Value = dyno.Value },
                new() { Value = SampleColumns.LeadIn(start) }, new() { Value = Utc(until) },
            },
        };
        using var reader = command.ExecuteReader();
        DateTimeOffset? reading = null;
        var value = double.NaN;
        while (reader.Read())
        {
            var time = reader.GetFieldValue<DateTimeOffset>(0);
            if (reading is { } first && SampleColumns.Joins(first, time))
            {
                // The first half that has the metric wins, as RuntimeSample.MergeWith picks.
                if (double.IsNaN(value) && !reader.IsDBNull(1))
                {
                    value = reader.GetDouble(1);
                }

                continue;
            }

            Emit();
            reading = time;
            value = reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1);
        }

        Emit();
        return points;

        void Emit()
        {
            if (reading is { } time && !double.IsNaN(value) && time >= start && time <= until)
            {
                points.Add(new SeriesPoint(time, value));
            }
        }
    }

    public bool HasDyno(string app, DynoName dyno)
    {
        using var connection = OpenConnection();
        using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM samples WHERE app = $1 AND dyno = $2) OR EXISTS (SELECT 1 FROM rollups WHERE app = $1 AND dyno = $2)",
            connection)
        {
            Parameters = { new() { Value = app }, new() { Value = dyno.Value } },
        };
        return (bool)command.ExecuteScalar()!;
    }

    public IReadOnlyList<string> GetApps()
    {
        using var connection = OpenConnection();
        using var command = new NpgsqlCommand("SELECT name FROM apps", connection);
        using var reader = command.ExecuteReader();
        var apps = new List<string>();
        while (reader.Read())
        {
            apps.Add(reader.GetString(0));
        }

        // Ordinal, as the embedded store sorts: the database's collation may differ.
        return [.. apps.Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<DynoEvent> GetEvents(
        string app, DynoName? dyno, string? code, DateTimeOffset from, DateTimeOffset before, int limit)
    {
        if (limit <= 0 || before <= from)
        {
            return [];
        }

        using var connection = OpenConnection();
        using var command = new NpgsqlCommand { Connection = connection };
        var filter = $"app = {Add(app)} AND t >= {Add(Utc(from))} AND t < {Add(Utc(before))}";
        if (dyno is { } wanted)
        {
            filter += wanted == DynoName.NoDyno ? " AND dyno IS NULL" : $" AND dyno = {Add(wanted.Value)}";
        }

        if (code is not null)
        {
            filter += $" AND code = {Add(code.ToUpperInvariant())}";
        }

        command.CommandText = $"SELECT {EventColumns} FROM events WHERE {filter} ORDER BY t DESC, id DESC LIMIT {Add(limit)}";
        using var reader = command.ExecuteReader();
        var events = new List<DynoEvent>();
        while (reader.Read())
        {
            events.Add(ReadEvent(reader));
        }

        return events;

        // Positional parameters ($n) in the order they are added: only the filters asked for.
        string Add(object value)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            return "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public IReadOnlyList<LogLine> GetLines(string app, int limit) =>
        GetLines(app, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, limit);

    public IReadOnlyList<LogLine> GetLines(string app, DateTimeOffset from, DateTimeOffset before, int limit)
    {
        if (limit <= 0 || before <= from)
        {
            return [];
        }

        using var connection = OpenConnection();
        using var command = new NpgsqlCommand(
            $"SELECT {LineColumns} FROM lines WHERE app = $1 AND t >= $2 AND t < $3 ORDER BY t DESC, id DESC LIMIT $4",
            connection)
        {
            Parameters = { new() { Value = app }, new() { Value = Utc(from) }, new() { Value = Utc(before) }, new() { Value = limit } },
        };
        using var reader = command.ExecuteReader();
        var lines = new List<LogLine>();
        while (reader.Read())
        {
            lines.Add(new LogLine(
                reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : new DynoName(reader.GetString(5)), (LineKind)reader.GetInt32(2),
                reader.GetString(6)));
        }

        return lines;
    }

    public IEnumerable<StoredSample> ReadSamples(DateTimeOffset since) => ReadMergedSamples(since);

    public IEnumerable<StoredRollup> ReadRollups(DateTimeOffset since)
    {
        using var connection = OpenConnection();
        using var command = new NpgsqlCommand(
            "SELECT app, dyno, t, last_request, data FROM rollups WHERE t >= $1 ORDER BY t", connection)
        {
            // A minute is read whole from its start, as the embedded store keys it.
            Parameters = { new() { Value = MinuteStart(since) } },
        };
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var minute = ReadRollupMinute(reader);
            foreach (var rollup in minute.Snapshots())
            {
                yield return new StoredRollup(minute.App, minute.Dyno, rollup, minute.LastRequest);
            }
        }
    }

    public (DateTimeOffset? Samples, DateTimeOffset? Rollups) GetNewest()
    {
        DateTimeOffset? newestHalf, newestMinute;
        using (var connection = OpenConnection())
        {
            newestHalf = Newest(connection, "samples");
            newestMinute = Newest(connection, "rollups");
        }

        // The newest half may be the second half of a reading that carries the first half's time.
        DateTimeOffset? newest = newestHalf is { } half
            ? ReadMergedSamples(SampleColumns.LeadIn(half)).Max(s => s.Sample.Time)
            : null;
        return (newest, newestMinute);
    }

    /// <summary>Readings at or after <paramref name="since"/>, halves merged per dyno; in time order per dyno (a
    /// reading is given once its dyno's next one starts, so dynos interleave only roughly).</summary>
    private IEnumerable<StoredSample> ReadMergedSamples(DateTimeOffset since)
    {
        using var connection = OpenConnection();
        using var command = new NpgsqlCommand(
            $"SELECT app, dyno, t, incarnation, {SampleColumns.All} FROM samples WHERE t >= $1 ORDER BY t", connection)
        {
            Parameters = { new() { Value = SampleColumns.LeadIn(since) } },
        };
        using var reader = command.ExecuteReader();
        var open = new Dictionary<(string App, string Dyno), StoredSample>();
        while (reader.Read())
        {
            var key = (reader.GetString(0), reader.GetString(1));
            var half = ReadHalf(reader, reader.GetFieldValue<DateTimeOffset>(2), first: 4);
            var time = half.Time;
            var incarnation = reader.IsDBNull(3) ? null : reader.GetString(3);
            if (open.TryGetValue(key, out var reading) && SampleColumns.Joins(reading.Sample.Time, time))
            {
                open[key] = reading with { Sample = reading.Sample.MergeWith(half), Incarnation = reading.Incarnation ?? incarnation };
                continue;
            }

            if (open.Remove(key, out var done) && done.Sample.Time >= since)
            {
                yield return done;
            }

            open[key] = new StoredSample(key.Item1, new DynoName(key.Item2), half, incarnation);
        }

        foreach (var done in open.Values.OrderBy(s => s.Sample.Time))
        {
            if (done.Sample.Time >= since)
            {
                yield return done;
            }
        }
    }

    /// <summary>A reading half from the metric columns starting at <paramref name="first"/>; NULL reads as NaN.</summary>
    private static RuntimeSample ReadHalf(NpgsqlDataReader reader, DateTimeOffset time, int first)
    {
        double Metric(int m) => reader.IsDBNull(first + m) ? double.NaN : reader.GetDouble(first + m);
        return new RuntimeSample(time, Metric(0), Metric(1), Metric(2), Metric(3), Metric(4), Metric(5), Metric(6),
            Metric(7), Metric(8), Metric(9));
    }

    private static DateTimeOffset? Newest(NpgsqlConnection connection, string table)
    {
        using var command = new NpgsqlCommand($"SELECT max(t) FROM {table}", connection);
        using var reader = command.ExecuteReader();
        return reader.Read() && !reader.IsDBNull(0) ? reader.GetFieldValue<DateTimeOffset>(0) : null;
    }

    private static RollupMinute ReadRollupMinute(NpgsqlDataReader reader) => RollupMinute.Decode(
        reader.GetString(0), new DynoName(reader.GetString(1)), MinuteOf(reader.GetFieldValue<DateTimeOffset>(2)),
        reader.GetFieldValue<byte[]>(4), reader.GetFieldValue<DateTimeOffset>(3));

    private static DynoEvent ReadEvent(NpgsqlDataReader reader) => new()
    {
        Time = reader.GetFieldValue<DateTimeOffset>(1),
        Dyno = Text(reader, 2) is { } dyno ? new DynoName(dyno) : null,
        Kind = (DynoEventKind)reader.GetInt32(3),
        Code = Text(reader, 4) is { } code && ErrorCatalog.TryGet(code, out var info) ? info : null,
        Description = reader.GetString(5),
        Source = reader.GetString(6),
        ProcId = reader.GetString(7),
        Message = reader.GetString(8),
        Incarnation = Text(reader, 9),
        FromState = Text(reader, 10),
        ToState = Text(reader, 11),
        Path = Text(reader, 12),
        ExitStatus = reader.IsDBNull(13) ? null : reader.GetInt32(13),
        MemoryMb = reader.IsDBNull(14) ? null : reader.GetDouble(14),
        MemoryPercent = reader.IsDBNull(15) ? null : reader.GetDouble(15),
        Status = reader.IsDBNull(16) ? null : reader.GetInt32(16),
        ServiceMs = reader.IsDBNull(17) ? null : reader.GetInt32(17),
    };

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Npgsql writes only UTC offsets to timestamptz; MinValue and MaxValue become -infinity and infinity.</summary>
    internal static DateTimeOffset Utc(DateTimeOffset time) => time.ToUniversalTime();

    private static long MinuteOf(DateTimeOffset time) => time.UtcTicks / TimeSpan.TicksPerMinute;

    private static DateTimeOffset MinuteStart(DateTimeOffset time) => MinuteStart(MinuteOf(time));
}
