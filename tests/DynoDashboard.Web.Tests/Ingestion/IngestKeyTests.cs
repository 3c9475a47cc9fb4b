using System.Net;
using DynoDashboard.Web.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DynoDashboard.Web.Tests.Ingestion;

public sealed class IngestKeyTests
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    [Fact]
    public async Task NoConfiguredKey_GeneratesOneInTheDataFolder_PrintsTheDrainCommandOnce_AndAcceptsIt()
    {
        var logs = new CapturedLogs();
        using var factory = new DashboardFactory(
            new Dictionary<string, string?> { ["Ingest:Key"] = "" },
            services => services.AddLogging(b => b.AddProvider(logs)));
        using var bootstrap = factory.CreateClient(); // starts the host

        var keyFile = Path.Combine(factory.DataFolder, IngestKey.FileName);
        Assert.True(File.Exists(keyFile));
        var key = (await File.ReadAllTextAsync(keyFile)).Trim();
        Assert.True(key.Length >= 32);

        using var client = factory.CreateDrainClient(key);
        var response = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"));
        using var wrong = factory.CreateDrainClient(DashboardFactory.Key);
        var rejected = await wrong.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        var withKey = logs.Messages.Where(m => m.Contains(key, StringComparison.Ordinal)).ToList();
        var banner = Assert.Single(withKey);
        Assert.Contains($"heroku drains:add \"https://user:{key}@", banner, StringComparison.Ordinal);
        Assert.Contains("/drain/APP\" -a APP", banner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratedKey_SurvivesARestart()
    {
        string first;
        var folder = Path.Combine(Path.GetTempPath(), "dynodash-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Ingest:Key"] = "", ["Storage:Path"] = Path.Combine(folder, "x.db") };
        try
        {
            using (var factory = new DashboardFactory(settings))
            {
                first = factory.Services.GetRequiredService<IngestKey>().Source;
                Assert.True(factory.Services.GetRequiredService<IngestKey>().WasGenerated);
            }

            using var again = new DashboardFactory(settings);
            var key = again.Services.GetRequiredService<IngestKey>();
            Assert.False(key.WasGenerated);
            Assert.Equal(first, key.Source);
            Assert.True(key.Matches((await File.ReadAllTextAsync(Path.Combine(folder, IngestKey.FileName))).Trim()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ConfiguredKey_NeverAppearsInLogs()
    {
        var logs = new CapturedLogs();
        using var factory = new DashboardFactory(services: services => services.AddLogging(b => b.AddProvider(logs)));
        using var client = factory.CreateDrainClient();
        await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0, "web.1"));
        using var anonymous = factory.CreateClient();
        await anonymous.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"));

        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(DashboardFactory.Key, StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidSettings_FailStartupNamingEverySetting()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["Ingest:QueueCapacity"] = "0",
            ["Ingest:MaxBodyBytes"] = "10",
            ["Demo:Speed"] = "-1",
        });

        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var text = ex.ToString();
        Assert.Contains("Ingest:QueueCapacity", text, StringComparison.Ordinal);
        Assert.Contains("Ingest:MaxBodyBytes", text, StringComparison.Ordinal);
        Assert.Contains("Demo:Speed", text, StringComparison.Ordinal);
    }
}
