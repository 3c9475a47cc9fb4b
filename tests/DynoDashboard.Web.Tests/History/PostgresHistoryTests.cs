using System.Globalization;
using DynoDashboard.TestServers;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DynoDashboard.Web.Tests.History;

/// <summary>
/// The whole app on PostgreSQL history (issue 17): the real drain, ingestion, writer and API over a throw-away
/// cluster, one database per test.
/// </summary>
public sealed class PostgresHistoryTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    /// <summary>Heroku's case: a dyno's disk is new at every start, its database is not.</summary>
    [PostgresFact]
    public Task Restart_OnPostgresWithANewDataFolder_ApiShowsTheSameDynosSeriesAndEvents()
    {
        var settings = OnPostgres(cluster.CreateDatabase());
        return HistoryApiTests.AssertRestartKeepsTheApiAsync(() => new DashboardFactory(settings));
    }

    [PostgresFact]
    public async Task DatabaseUrlAlone_HistoryIsKeptInThatDatabase()
    {
        var connection = new NpgsqlConnectionStringBuilder(cluster.CreateDatabase());
        var url = string.Create(CultureInfo.InvariantCulture,
            $"postgres://{connection.Username}@{connection.Host}:{connection.Port}/{connection.Database}?sslmode=disable");
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["DATABASE_URL"] = url });

        await factory.PostLogplexAndWaitAsync("myapp", HistoryApiTests.Traffic());
        await factory.WaitUntilHistoryWrittenAsync();

        await using var database = new NpgsqlConnection(connection.ConnectionString);
        await database.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM samples", database);
        Assert.True((long)(await count.ExecuteScalarAsync())! > 0, "no sample reached the DATABASE_URL database");
        Assert.False(File.Exists(Path.Combine(factory.DataFolder, "dynodash.db")), "a LiteDB file was made as well");
    }

    [PostgresFact]
    public void Start_DatabaseUnreachable_FailsNamingHostAndDatabase_NeverThePassword()
    {
        var port = LoopbackPort.Unused();
        var settings = OnPostgres($"Host=127.0.0.1;Port={port};Database=nowhere;Username=dash;Password=s3cret-pw;Timeout=5");
        using var factory = new DashboardFactory(settings);

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var unreachable = Assert.IsType<HistoryDatabaseUnreachableException>(Innermost<HistoryDatabaseUnreachableException>(failure));
        Assert.Contains($"postgresql://127.0.0.1:{port}/nowhere", unreachable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "Storage:Provider is Postgres but neither Storage:Postgres")]
    [InlineData("Host=db;Pasword=s3cret-pw", null, "Storage:Postgres is not a valid Npgsql connection string")]
    [InlineData(null, "mysql://dash:s3cret-pw@db/history", "DATABASE_URL is not a PostgreSQL URL")]
    public void Start_PostgresSettingsUnusable_FailsNamingTheSettingNeverThePassword(string? connectionString, string? databaseUrl,
        string expected)
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres"] = connectionString,
            ["DATABASE_URL"] = databaseUrl,
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(error.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }

    internal static Dictionary<string, string?> OnPostgres(string connectionString) => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres"] = connectionString,
    };

    private static Exception? Innermost<T>(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is T)
            {
                return e;
            }
        }

        return failure is AggregateException aggregate ? aggregate.Flatten().InnerExceptions.FirstOrDefault(e => e is T) : null;
    }
}
