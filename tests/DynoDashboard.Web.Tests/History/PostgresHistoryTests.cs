using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using DynoDashboard.TestServers;
using DynoDashboard.Web.Api;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DynoDashboard.Web.Tests.History;

/// <summary>
/// The whole app on PostgreSQL history (issue 17): the real drain, ingestion, writer and API over a throw-away
/// cluster, one database per test.
/// </summary>
public sealed class PostgresHistoryTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    // Generous: a loaded machine, and the writer's retry back-off (up to 10 s) after the server returns.
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(90);

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

    /// <summary>A dyno can boot before its database: the app listens at once, says it is not ready, refuses drain
    /// batches with 503 (Logplex keeps them), and takes everything once the database answers. A real process and
    /// real Kestrel: the in-memory test server would not answer before the host's start is done.</summary>
    [PostgresFact]
    public async Task Start_DatabaseNotUpYet_ListensNotReadyDrain503_ThenStoresEverythingOnceItIsUp()
    {
        var database = new NpgsqlConnectionStringBuilder(cluster.CreateDatabase()) { Password = "s3cret-pw" }; // trust: unused
        var described = $"postgresql://{database.Host}:{database.Port}/{database.Database}";
        var stream = new ReadingStream("bootapp");
        var refused = new List<int>();
        cluster.StopServer();
        ChildDashboard? app = null;
        try
        {
            app = await ChildDashboard.StartListeningAsync(DashboardFactory.NewDataFolder(), TimeSpan.FromMilliseconds(250),
                "--Storage:Provider=Postgres", $"--Storage:Postgres={database.ConnectionString}");

            using (var health = await app.Client.GetAsync(new Uri("/healthz", UriKind.Relative)))
            {
                Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, health.StatusCode);
            }

            var batch = stream.TakeNext();
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, await stream.PostOnceAsync(app.Client, batch));
            refused.Add(batch);

            // One clear line per attempt, naming the database (the output is the only signal: polled, with a deadline).
            var waiting = Stopwatch.StartNew();
            while (!app.Output.Contains($"History database {described} cannot be reached", StringComparison.Ordinal))
            {
                Assert.True(waiting.Elapsed < s_patience, $"no line naming {described}:\n{app.Output}");
                await Task.Delay(50);
            }
        }
        finally
        {
            cluster.StartServer();
        }

        using (app)
        {
            await app.WaitUntilHealthyAsync();
            using var retries = new CancellationTokenSource(s_patience);
            foreach (var batch in refused)
            {
                await stream.PostUntilAcceptedAsync(app.Client, batch, retries.Token);
            }

            await stream.PostNextAsync(app.Client);
            await app.WaitUntilJournalWrittenAsync(s_patience);
            await stream.AssertAllAcceptedStoredAsync(app.Api, "once the database was up");
            Assert.DoesNotContain("s3cret-pw", app.Output, StringComparison.Ordinal);
        }
    }

    /// <summary>Issue 17: the server goes away mid-stream (a restart, a failover) and comes back; the drain journal
    /// covers the gap, and every acknowledged sample reaches the database.</summary>
    [PostgresFact]
    public async Task ServerStoppedMidStream_DrainAcknowledgesFromTheJournal_AndEverySampleArrivesOnceItIsBack()
    {
        var settings = OnPostgres(cluster.CreateDatabase());
        var t0 = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1).UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        using (var factory = new DashboardFactory(settings))
        {
            var writer = factory.Services.GetRequiredService<HistoryWriter>();
            for (var i = 0; i < 5; i++)
            {
                await PostSampleAsync(factory, t0, i);
            }

            await writer.WhenCaughtUpAsync(CancellationToken.None).WaitAsync(s_patience);

            cluster.StopServer();
            try
            {
                for (var i = 5; i < 15; i++)
                {
                    await PostSampleAsync(factory, t0, i); // 204: journaled, though history cannot store it now
                }

                // The writer meets the stopped server and keeps retrying (the status is the signal; polled).
                var failing = Stopwatch.StartNew();
                while (writer.Status().WriteFailures == 0)
                {
                    Assert.True(failing.Elapsed < s_patience, "history never met the stopped server");
                    await Task.Delay(50);
                }

                // The status is how an operator sees the outage: it must answer through it, and say so.
                using var api = factory.CreateClient();
                var status = await api.GetStringAsync(new Uri("/api/status", UriKind.Relative));
                Assert.Contains("history-failing", status, StringComparison.Ordinal);
            }
            finally
            {
                cluster.StartServer();
            }

            await writer.WhenCaughtUpAsync(CancellationToken.None).WaitAsync(s_patience);
            Assert.Equal(writer.Status().AcceptedFacts, writer.Status().WrittenFacts);
        }

        // A new host on a new data folder (no journal to replay): what it shows came from the database alone.
        using var restarted = new DashboardFactory(settings);
        using var client = restarted.CreateClient();
        var series = await client.GetFromJsonAsync<SeriesResponse>(
            $"/api/apps/myapp/dynos/web.1/series?metric=memory_rss&from={Uri.EscapeDataString(t0.ToString("O", CultureInfo.InvariantCulture))}");
        Assert.Equal(Enumerable.Range(100, 15).Select(v => (double)v), series!.Points.Select(p => p.V));
    }

    private static async Task PostSampleAsync(DashboardFactory factory, DateTimeOffset t0, int i)
    {
        using var response = await factory.PostLogplexAndWaitAsync("myapp",
            new LogplexBody().Runtime(t0.AddSeconds(20 * i), "web.1", load1m: 0.2, rssMb: 100 + i, swapMb: 0));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
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

}
