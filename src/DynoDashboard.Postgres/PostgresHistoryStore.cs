using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using Npgsql;
using NpgsqlTypes;

namespace DynoDashboard.Postgres;

/// <summary>
/// History in a PostgreSQL database (issue 17): the same contract as <see cref="LiteDbHistoryStore"/>, for teams
/// whose history must outlive one machine. Facts go in with binary <c>COPY</c> into tables partitioned by day, so
/// retention drops whole days; one <see cref="Write"/> is one transaction, journal checkpoint included.
/// <para>
/// Unlike the embedded store nothing is held open in memory between writes: a rollup minute that gets more requests
/// is read back, merged and replaced inside the write, and sample halves are stored as they came and merged on
/// read. Readers each take a pooled connection; one writer calls <see cref="Write"/> and <see cref="Sweep"/>.
/// </para>
/// </summary>
public sealed partial class PostgresHistoryStore : IHistoryStore
{
    private const string JournalKey = "journal";

    private readonly NpgsqlDataSource _source;
    private readonly bool _ownsSource;
    private readonly int _maxLogLines;
    private readonly DayPartitions _partitions = new();

    // Write, Sweep and the app operations change the partition set and the line count: one at a time.
    private readonly Lock _writeGate = new();
    private long _lineCount;
    private long _lastDatabaseBytes;
    private bool _connected;

    /// <param name="connectionString">An Npgsql connection string; the password in it is never logged or shown.</param>
    /// <param name="maxLogLines">Stored log lines kept at most; older ones are deleted as new ones arrive.</param>
    /// <param name="connect">Connect and migrate now; false leaves it to <see cref="Connect"/> (the app, whose start must
    /// not wait for a database that is not up yet).</param>
    public PostgresHistoryStore(string connectionString, int maxLogLines, bool connect = true)
        : this(NpgsqlDataSource.Create(connectionString), maxLogLines, ownsSource: true)
    {
        if (connect)
        {
            Connect();
        }
    }

    /// <summary>Uses <paramref name="source"/>, which stays the caller's to dispose.</summary>
    public PostgresHistoryStore(NpgsqlDataSource source, int maxLogLines)
        : this(source, maxLogLines, ownsSource: false) => Connect();

    private PostgresHistoryStore(NpgsqlDataSource source, int maxLogLines, bool ownsSource)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLogLines);
        _source = source;
        _ownsSource = ownsSource;
        _maxLogLines = maxLogLines;
        Description = DatabaseUrl.Describe(source.ConnectionString);
    }

    /// <summary>True once <see cref="Connect"/> has succeeded; until then every other call throws
    /// <see cref="HistoryUnavailableException"/> at once.</summary>
    public bool IsConnected => Volatile.Read(ref _connected);

    /// <summary>Connects, migrates the schema and loads what the store keeps in memory (partitions, line count).
    /// Idempotent; throws what Npgsql throws while the server cannot be reached.</summary>
    /// <exception cref="HistorySchemaTooNewException">The database was migrated by a newer build.</exception>
    public void Connect()
    {
        lock (_writeGate)
        {
            if (_connected)
            {
                return;
            }

            using var connection = _source.OpenConnection();
            SchemaVersionFound = HistorySchema.Migrate(connection);
            _partitions.Load(connection);
            _lineCount = Scalar<long>(connection, "SELECT count(*) FROM lines");
            Volatile.Write(ref _connected, true);
        }
    }

    /// <summary>A pooled connection, once connected.</summary>
    private NpgsqlConnection OpenConnection() => IsConnected
        ? _source.OpenConnection()
        : throw new HistoryUnavailableException(Description);

    /// <summary>Host, port and database, without user or password: safe for logs and the status page.</summary>
    public string Description { get; }

    /// <summary>The schema version this build migrates databases to.</summary>
    public static int SchemaVersion => HistorySchema.Version;

    /// <summary>The schema version the database had before this store migrated it (0 for a new database).</summary>
    public int SchemaVersionFound { get; private set; }

    public void Write(IReadOnlyList<HistoryBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        lock (_writeGate)
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            var created = EnsurePartitions(connection, batches);
            InsertApps(connection, batches);
            CopySamples(connection, batches);
            UpsertRollups(connection, batches);
            CopyEvents(connection, batches);
            var lines = CopyLines(connection, batches);
            WriteJournalCheckpoint(connection, batches);
            var trimmed = TrimLines(connection, _lineCount + lines);
            transaction.Commit();

            // Only once committed: a failed write rolled its partitions and lines back.
            _partitions.Created(created);
            _lineCount += lines - trimmed;
        }
    }

    public long ReadJournalCheckpoint()
    {
        using var connection = OpenConnection();
        using var command = new NpgsqlCommand("SELECT value FROM meta WHERE key = $1", connection)
        {
            Parameters = { new() { Value = JournalKey } },
        };
        return command.ExecuteScalar() is long position ? position : 0;
    }

    /// <summary>The database's size, or the last size read while the server cannot be reached: the status page and
    /// <c>/metrics</c> ask for it, and they must keep answering through an outage (they are how one sees it).</summary>
    public HistoryFileInfo GetFileInfo()
    {
        try
        {
            using var connection = OpenConnection();
            Interlocked.Exchange(ref _lastDatabaseBytes, Scalar<long>(connection, "SELECT pg_database_size(current_database())"));
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or HistoryUnavailableException)
        {
        }

        return new HistoryFileInfo(Description, Interlocked.Read(ref _lastDatabaseBytes), 0);
    }

    public void Dispose()
    {
        if (_ownsSource)
        {
            _source.Dispose();
        }
    }

    private HashSet<string> EnsurePartitions(NpgsqlConnection connection, IReadOnlyList<HistoryBatch> batches)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            foreach (var fact in batch.Samples)
            {
                _partitions.Ensure(connection, "samples", fact.Sample.Time, created);
            }

            foreach (var fact in batch.Requests)
            {
                _partitions.Ensure(connection, "rollups", fact.Time, created);
            }

            foreach (var e in batch.Events)
            {
                _partitions.Ensure(connection, "events", e.Time, created);
            }

            foreach (var line in batch.Lines)
            {
                _partitions.Ensure(connection, "lines", line.Time, created);
            }
        }

        return created;
    }

    private static void InsertApps(NpgsqlConnection connection, IReadOnlyList<HistoryBatch> batches)
    {
        var apps = batches.Where(b => b.Count > 0).Select(b => b.App).Distinct(StringComparer.Ordinal).ToArray();
        if (apps.Length == 0)
        {
            return;
        }

        using var command = new NpgsqlCommand("INSERT INTO apps SELECT unnest($1::text[]) ON CONFLICT DO NOTHING", connection)
        {
            Parameters = { new() { Value = apps } },
        };
        command.ExecuteNonQuery();
    }

    private static void CopySamples(NpgsqlConnection connection, IReadOnlyList<HistoryBatch> batches) => Copy(
        connection, batches, static b => b.Samples, $"samples (app, dyno, t, incarnation, {SampleColumns.All})",
        static (copy, app, fact) =>
        {
            WriteText(copy, app);
            WriteText(copy, fact.Dyno.Value);
            copy.Write(fact.Sample.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            WriteText(copy, fact.Incarnation);
            for (var m = 0; m < SampleColumns.Count; m++)
            {
                var value = fact.Sample.Get((RuntimeMetric)m);
                WriteNullable(copy, double.IsNaN(value) ? null : (double?)value, NpgsqlDbType.Double);
            }
        });

    private static void CopyEvents(NpgsqlConnection connection, IReadOnlyList<HistoryBatch> batches) => Copy(
        connection, batches, static b => b.Events, $"events ({EventColumns})",
        static (copy, app, e) =>
        {
            WriteText(copy, app);
            copy.Write(e.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            WriteText(copy, e.Dyno?.Value);
            copy.Write((int)e.Kind, NpgsqlDbType.Integer);
            WriteText(copy, e.Code?.Code);
            WriteText(copy, e.Description);
            WriteText(copy, e.Source);
            WriteText(copy, e.ProcId);
            WriteText(copy, e.Message);
            WriteText(copy, e.Incarnation);
            WriteText(copy, e.FromState);
            WriteText(copy, e.ToState);
            WriteText(copy, e.Path);
            WriteNullable(copy, e.ExitStatus, NpgsqlDbType.Integer);
            WriteNullable(copy, e.MemoryMb, NpgsqlDbType.Double);
            WriteNullable(copy, e.MemoryPercent, NpgsqlDbType.Double);
            WriteNullable(copy, e.Status, NpgsqlDbType.Integer);
            WriteNullable(copy, e.ServiceMs, NpgsqlDbType.Integer);
        });

    private static long CopyLines(NpgsqlConnection connection, IReadOnlyList<HistoryBatch> batches) => Copy(
        connection, batches, static b => b.Lines, $"lines ({LineColumns})",
        static (copy, app, line) =>
        {
            WriteText(copy, app);
            copy.Write(line.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            copy.Write((int)line.Kind, NpgsqlDbType.Integer);
            WriteText(copy, line.Source);
            WriteText(copy, line.ProcId);
            WriteText(copy, line.Dyno?.Value);
            WriteText(copy, line.Message);
        });

    /// <summary>One binary COPY of one kind of fact from every batch; returns the rows sent (none: no COPY at all).</summary>
    private static long Copy<T>(NpgsqlConnection connection, IReadOnlyList<HistoryBatch> batches,
        Func<HistoryBatch, List<T>> facts, string target, Action<NpgsqlBinaryImporter, string, T> writeRow)
    {
        if (!batches.Any(b => facts(b).Count > 0))
        {
            return 0;
        }

        long rows = 0;
        using var copy = connection.BeginBinaryImport($"COPY {target} FROM STDIN (FORMAT BINARY)");
        foreach (var batch in batches)
        {
            foreach (var fact in facts(batch))
            {
                copy.StartRow();
                writeRow(copy, batch.App, fact);
                rows++;
            }
        }

        copy.Complete();
        return rows;
    }

    /// <summary>Called inside the write transaction, so the checkpoint and the facts it covers commit together.</summary>
    private static void WriteJournalCheckpoint(NpgsqlConnection connection, IReadOnlyList<HistoryBatch> batches)
    {
        var position = batches.Count == 0 ? 0 : batches.Max(b => b.JournalPosition);
        if (position <= 0)
        {
            return;
        }

        using var command = new NpgsqlCommand(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", connection)
        {
            Parameters = { new() { Value = JournalKey }, new() { Value = position } },
        };
        command.ExecuteNonQuery();
    }

    /// <summary>Deletes the oldest arrivals beyond <c>Storage:MaxLogLines</c>; returns how many went.</summary>
    private long TrimLines(NpgsqlConnection connection, long count)
    {
        var excess = count - _maxLogLines;
        if (excess <= 0)
        {
            return 0;
        }

        using var command = new NpgsqlCommand(
            "DELETE FROM lines WHERE id IN (SELECT id FROM lines ORDER BY id LIMIT $1)", connection)
        {
            Parameters = { new() { Value = excess } },
        };
        return command.ExecuteNonQuery();
    }

    /// <summary>Text or NULL. PostgreSQL text cannot hold U+0000, which LiteDB and a drain body can: it becomes
    /// U+FFFD, or one such line would fail its write, and every retry of it, for good.</summary>
    private static void WriteText(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value, NpgsqlDbType.Text);
        }
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } present)
        {
            copy.Write(present, type);
        }
        else
        {
            copy.WriteNull();
        }
    }

    private static T Scalar<T>(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    private const string EventColumns =
        "app, t, dyno, kind, code, description, source, proc_id, message, incarnation, from_state, to_state, path, " +
        "exit_status, memory_mb, memory_percent, status, service_ms";

    private const string LineColumns = "app, t, kind, source, proc_id, dyno, message";
}

/// <summary>The history database has not been reached since start; the message names it (host, port, database).</summary>
public sealed class HistoryUnavailableException(string database)
    : Exception($"History database {database} has not been reached yet; retrying");
