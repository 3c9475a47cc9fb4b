using Npgsql;

namespace DynoDashboard.Postgres;

/// <summary>
/// The history schema as numbered migrations, applied in order at start inside one transaction under an advisory lock
/// (instances starting together migrate once). <c>schema_version</c> records every applied version; a database with a
/// version newer than this build knows is refused rather than written in a layout the code does not understand.
/// </summary>
internal static class HistorySchema
{
    /// <summary>Any fixed number, the same in every build: the advisory lock that serialises migrations.</summary>
    private const long MigrationLock = 0x64796e6f_68697374; // "dynohist"

    /// <summary>Index + 1 is the version. Append new migrations; never edit an applied one.</summary>
    private static readonly string[] s_migrations =
    [
        // 1: facts partitioned by day on their time (retention drops whole days); audit tables unpartitioned.
        """
        CREATE TABLE apps (name text PRIMARY KEY);
        CREATE TABLE meta (key text PRIMARY KEY, value bigint NOT NULL);

        -- One row per reading half as it arrived; reads merge halves within 1 s as the embedded store does.
        CREATE TABLE samples (
            app text NOT NULL, dyno text NOT NULL, t timestamptz NOT NULL, incarnation text,
            load_1m float8, load_5m float8, load_15m float8, memory_total float8, memory_rss float8,
            memory_cache float8, memory_swap float8, memory_quota float8, memory_pgpgin float8, memory_pgpgout float8
        ) PARTITION BY RANGE (t);
        -- Per-dyno series (24 h / 7 d): one index range per dyno, in time order.
        CREATE INDEX samples_dyno_t ON samples (app, dyno, t);
        -- Re-seeding since a time, the newest reading, the retention boundary.
        CREATE INDEX samples_t ON samples (t);

        -- One row per dyno-minute: its six 10-s rollups in the embedded store's binary layout.
        CREATE TABLE rollups (
            app text NOT NULL, dyno text NOT NULL, t timestamptz NOT NULL, last_request timestamptz NOT NULL,
            data bytea NOT NULL, PRIMARY KEY (app, dyno, t)
        ) PARTITION BY RANGE (t);
        CREATE INDEX rollups_t ON rollups (t);

        -- Identity columns on partitioned tables arrive only in PostgreSQL 17: plain sequences, in arrival order.
        CREATE SEQUENCE events_id_seq;
        CREATE TABLE events (
            id bigint NOT NULL DEFAULT nextval('events_id_seq'), app text NOT NULL, t timestamptz NOT NULL, dyno text,
            kind int NOT NULL, code text, description text NOT NULL, source text NOT NULL, proc_id text NOT NULL,
            message text NOT NULL, incarnation text, from_state text, to_state text, path text, exit_status int,
            memory_mb float8, memory_percent float8, status int, service_ms int
        ) PARTITION BY RANGE (t);
        CREATE INDEX events_app_t ON events (app, t DESC, id DESC);

        CREATE SEQUENCE lines_id_seq;
        CREATE TABLE lines (
            id bigint NOT NULL DEFAULT nextval('lines_id_seq'), app text NOT NULL, t timestamptz NOT NULL,
            kind int NOT NULL, source text NOT NULL, proc_id text NOT NULL, dyno text, message text NOT NULL
        ) PARTITION BY RANGE (t);
        -- Per-app log queries, newest first.
        CREATE INDEX lines_app_t ON lines (app, t DESC, id DESC);
        -- Storage:MaxLogLines trims the oldest arrivals.
        CREATE INDEX lines_id ON lines (id);

        CREATE TABLE alert_rules (
            name text PRIMARY KEY, kind text NOT NULL, app text, scope text, metric text, operator text NOT NULL,
            threshold float8 NOT NULL, code text, count int NOT NULL, for_ticks bigint NOT NULL,
            cooldown_ticks bigint NOT NULL, enabled bool NOT NULL, restart_dyno bool NOT NULL);
        CREATE TABLE alert_transitions (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, rule text NOT NULL, app text NOT NULL, dyno text,
            state text NOT NULL, at timestamptz NOT NULL, summary text NOT NULL, value float8, notify bool NOT NULL,
            restart_dyno bool NOT NULL);
        CREATE TABLE restarts (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, t timestamptz NOT NULL, app text NOT NULL,
            dyno text NOT NULL, requested_by text NOT NULL, automatic bool NOT NULL, reason text NOT NULL,
            performed bool NOT NULL, api_status int NOT NULL, outcome text NOT NULL, incarnation_before text);
        """,
    ];

    /// <summary>The newest version this build knows.</summary>
    public static int Version => s_migrations.Length;

    /// <summary>Brings the database to <see cref="Version"/>; returns the version it had before.</summary>
    /// <exception cref="HistorySchemaTooNewException">The database was migrated by a newer build.</exception>
    public static int Migrate(NpgsqlConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
            """);
        using var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection);
        var found = (int)current.ExecuteScalar()!;
        if (found > Version)
        {
            throw new HistorySchemaTooNewException(connection.Database, found, Version);
        }

        for (var version = found + 1; version <= Version; version++)
        {
            Execute(connection, s_migrations[version - 1]);
            using var record = new NpgsqlCommand("INSERT INTO schema_version (version) VALUES ($1)", connection)
            {
                Parameters = { new() { Value = version } },
            };
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return found;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>The history database was migrated by a newer DynoDashboard than this one.</summary>
public sealed class HistorySchemaTooNewException(string database, int found, int known) : Exception(
    $"The history database '{database}' has schema version {found}, but this DynoDashboard knows versions up to " +
    $"{known}. Run the newer DynoDashboard that migrated it, or point Storage:Postgres at another database.")
{
    public int FoundVersion { get; } = found;

    public int KnownVersion { get; } = known;
}
