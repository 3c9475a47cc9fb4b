using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Tests.Live;
using DynoDashboard.Postgres;
using DynoDashboard.TestServers;
using Npgsql;
using static DynoDashboard.Core.Tests.History.LiteDbHistoryStoreTests;

namespace DynoDashboard.Core.Tests.History.Postgres;

/// <summary>What only the PostgreSQL store has: migrations, day partitions, transactions, the connection it names.</summary>
[UsesPostgres]
[Collection(PostgresClusterGroup.Name)]
public sealed class PostgresHistoryStoreTests(PostgresCluster cluster)
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private readonly string _database = cluster.CreateDatabase();

    [StoreFact]
    public void Migrations_NewDatabaseGetsEveryVersion_ReopeningAppliesNothingTwice()
    {
        using (var store = new PostgresHistoryStore(_database, 1_000))
        {
            Assert.Equal(0, store.SchemaVersionFound);
        }

        using var reopened = new PostgresHistoryStore(_database, 1_000);

        Assert.Equal(HistorySchema.Version, reopened.SchemaVersionFound);
        Assert.Equal(Enumerable.Range(1, HistorySchema.Version), Query<int>("SELECT version FROM schema_version ORDER BY version"));
    }

    [StoreFact]
    public void Migrations_SchemaNewerThanTheCodeKnows_IsRefusedNamingBothVersions()
    {
        new PostgresHistoryStore(_database, 1_000).Dispose();
        Execute("INSERT INTO schema_version (version) VALUES (99)");

        var refused = Assert.Throws<HistorySchemaTooNewException>(() => new PostgresHistoryStore(_database, 1_000));

        Assert.Equal((99, HistorySchema.Version), (refused.FoundVersion, refused.KnownVersion));
        Assert.Contains("schema version 99", refused.Message, StringComparison.Ordinal);
        Assert.Contains(new NpgsqlConnectionStringBuilder(_database).Database!, refused.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public void Write_FailingPartWay_StoresNothingNotEvenTheCheckpoint_AndTheSameBatchesGoInOnceTheFaultIsGone()
    {
        using var store = new PostgresHistoryStore(_database, 1_000);
        // A fault in the last table the write touches, after samples, rollups and events went in.
        Execute("""
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$;
            CREATE TRIGGER refuse_lines BEFORE INSERT ON lines FOR EACH ROW EXECUTE FUNCTION refuse();
            """);
        var batch = Batch("myapp", b =>
        {
            TestLines.Load(b, s_t0, "web.1", 0.5);
            TestLines.Router(b, s_t0, "web.1");
            b.OnDynoEvent(TestLines.StateChanged(s_t0, "web.1", "starting", "up"));
            TestLines.App(b, s_t0, "web.1", "hello");
        });
        batch.JournalPosition = 77;

        Assert.Throws<PostgresException>(() => store.Write([batch]));

        Assert.Equal(0, store.ReadJournalCheckpoint());
        Assert.Empty(store.GetApps());
        Assert.Empty(store.ReadSamples(DateTimeOffset.MinValue));
        Assert.Empty(store.ReadRollups(DateTimeOffset.MinValue));
        Assert.Empty(store.GetEvents("myapp", null, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10));
        // The day partitions the failed write made were rolled back with it; the retry must make them again.
        Assert.Empty(Partitions());

        Execute("DROP TRIGGER refuse_lines ON lines");
        store.Write([batch]);

        Assert.Equal(77, store.ReadJournalCheckpoint());
        Assert.Single(store.ReadSamples(DateTimeOffset.MinValue));
        Assert.Equal(1, Assert.Single(store.ReadRollups(DateTimeOffset.MinValue)).Rollup.Requests);
        Assert.Single(store.GetLines("myapp", 10));
    }

    [StoreFact]
    public void Sweep_DropsWholeDayPartitionsOlderThanTheCutoff()
    {
        using var store = new PostgresHistoryStore(_database, 1_000);
        for (var day = 0; day < 4; day++)
        {
            var time = s_t0.AddDays(day);
            store.Write([Batch("myapp", b =>
            {
                TestLines.Load(b, time, "web.1", day);
                TestLines.Router(b, time, "web.1");
                TestLines.App(b, time, "web.1", "hello");
            })]);
        }

        Assert.Equal(12, Partitions().Count);
        var cutoff = s_t0.UtcDateTime.Date.AddDays(2);

        Assert.Equal(6, store.Sweep(cutoff, 1_000));

        Assert.Equal(
            ["lines_20240503", "lines_20240504", "rollups_20240503", "rollups_20240504", "samples_20240503", "samples_20240504"],
            Partitions());
        Assert.Equal([2.0, 3], store.GetSeries("myapp", new DynoName("web.1"), RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddDays(4)).Select(p => p.V));
        // The line count that Storage:MaxLogLines keeps follows the dropped days.
        store.Write([Batch("myapp", b => TestLines.App(b, s_t0.AddDays(3), "web.1", "later"))]);
        Assert.Equal(3, store.GetLines("myapp", 10).Count);
    }

    [StoreFact]
    public void Lines_WithANulCharacter_AreStoredRatherThanFailingTheWriteForGood()
    {
        using var store = new PostgresHistoryStore(_database, 1_000);

        store.Write([Batch("myapp", b => TestLines.App(b, s_t0, "web.1", "before\0after"))]);

        Assert.Equal("before\uFFFDafter", Assert.Single(store.GetLines("myapp", 10)).Message);
    }

    [StoreFact]
    public void Description_NamesHostPortAndDatabase_NeverTheUserOrPassword()
    {
        var withPassword = new NpgsqlConnectionStringBuilder(_database) { Password = "s3cret-pw" }.ConnectionString;
        using var store = new PostgresHistoryStore(withPassword, 1_000);
        var builder = new NpgsqlConnectionStringBuilder(_database);

        Assert.Equal($"postgresql://{builder.Host}:{builder.Port}/{builder.Database}", store.Description);
        Assert.Equal(store.Description, store.GetFileInfo().Path);
        Assert.True(store.GetFileInfo().FileBytes > 0);
    }

    [StoreFact]
    public void PerDynoSeries_IsServedByTheDynoTimeIndex()
    {
        using var store = new PostgresHistoryStore(_database, 1_000);
        store.Write([Batch("myapp", b => TestLines.Load(b, s_t0, "web.1", 0.5))]);
        // Too few rows for the planner to prefer an index unless sequential scans are ruled out.
        var plan = string.Join('\n', Query<string>(
            "SET enable_seqscan = off; EXPLAIN SELECT t, load_1m FROM samples WHERE app = 'myapp' AND dyno = 'web.1' AND t >= '2024-04-24 12:00+00' ORDER BY t"));

        Assert.Contains("samples_", plan, StringComparison.Ordinal);
        Assert.Contains("dyno_t", plan, StringComparison.Ordinal);
    }

    private List<string> Partitions() => Query<string>("""
        SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r' ORDER BY 1
        """);

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql)
    {
        using var connection = new NpgsqlConnection(_database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(reader.GetFieldValue<T>(0));
        }

        return rows;
    }
}
