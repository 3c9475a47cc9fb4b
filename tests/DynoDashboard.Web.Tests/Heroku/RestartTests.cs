using DynoDashboard.Core.History;
using System.Net;
using System.Net.Http.Json;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Heroku;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DynoDashboard.Web.Tests.Heroku;

public sealed class RestartTests : IAsyncLifetime, IDisposable
{
    private const string Token = "heroku-api-token-7f3b9c2e11d04a5b";
    private static readonly DateTimeOffset s_t0 = TestTime.At(12);
    private readonly CapturedLogs _logs = new();
    private FakePlatformApi _platform = null!;
    private DashboardFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _platform = await FakePlatformApi.StartAsync();
        _factory = new DashboardFactory(
            new Dictionary<string, string?>
            {
                ["Heroku:ApiToken"] = Token,
                ["Heroku:ApiBaseUrl"] = _platform.BaseUrl.ToString(),
                ["Heroku:MaxRestartsPerAppPerHour"] = "2",
            },
            services => services.AddLogging(b => b.AddProvider(_logs)));
        await _factory.PostLogplexAndWaitAsync("myapp", new LogplexBody()
            .Runtime(s_t0, "web.1", 0.2, 300, 0, incarnation: "heroku.1.aaaa")
            .Runtime(s_t0, "web.2", 3.0, 500, 180, incarnation: "heroku.1.bbbb")
            .Runtime(s_t0, "web.3", 0.2, 300, 0, incarnation: "heroku.1.cccc")
            .Runtime(s_t0, "web.4", 0.2, 300, 0, incarnation: "heroku.1.dddd"));
    }

    [Fact]
    public async Task Restart_ByHand_CallsThePlatformApiAndAuditsIt()
    {
        using var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/apps/myapp/dynos/web.2/restart", new RestartRequest("H12s and swapping"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(_platform.Requests);
        Assert.Equal("DELETE", call.Method);
        Assert.Equal("/apps/myapp/dynos/web.2", call.Path);
        Assert.Equal("application/vnd.heroku+json; version=3", call.Accept);
        Assert.Equal($"Bearer {Token}", call.Authorization);
        var audit = await client.GetFromJsonAsync<List<RestartRecord>>("/api/apps/myapp/restarts");
        var record = Assert.Single(audit!);
        Assert.True(record.Performed);
        Assert.Equal("web.2", record.Dyno);
        Assert.Equal("H12s and swapping", record.Reason);
        Assert.Equal(202, record.ApiStatus);
        Assert.Equal("heroku.1.bbbb", record.IncarnationBefore);
    }

    [Fact]
    public async Task Restart_WhileThePreviousIsInProgress_IsRefusedUntilANewIncarnationAppears()
    {
        using var client = _factory.CreateClient();
        await client.PostAsJsonAsync("/api/apps/myapp/dynos/web.2/restart", new RestartRequest(null));

        var again = await client.PostAsJsonAsync("/api/apps/myapp/dynos/web.2/restart", new RestartRequest(null));
        await _factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Runtime(s_t0.AddMinutes(1), "web.2", 0.1, 200, 0, incarnation: "heroku.1.eeee"));
        var afterNewIncarnation = await client.PostAsJsonAsync("/api/apps/myapp/dynos/web.2/restart", new RestartRequest(null));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("still in progress", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, afterNewIncarnation.StatusCode);
        Assert.Equal(2, _platform.Requests.Count);
    }

    [Fact]
    public async Task AutomaticRestarts_HonourCooldownAndHourlyLimit()
    {
        var restarter = _factory.Services.GetRequiredService<DynoRestarter>();

        var first = await restarter.RestartAsync("myapp", new DynoName("web.1"), "rule swap", automatic: true, "swap > 50 MB", default);
        await _factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Runtime(s_t0.AddMinutes(1), "web.1", 0.1, 200, 0, incarnation: "heroku.1.ffff"));
        var cooldown = await restarter.RestartAsync("myapp", new DynoName("web.1"), "rule swap", automatic: true, "swap > 50 MB", default);
        var second = await restarter.RestartAsync("myapp", new DynoName("web.3"), "rule swap", automatic: true, "swap > 50 MB", default);
        var overLimit = await restarter.RestartAsync("myapp", new DynoName("web.4"), "rule swap", automatic: true, "swap > 50 MB", default);

        Assert.True(first.Performed);
        Assert.False(cooldown.Performed);
        Assert.StartsWith("Cooldown", cooldown.Outcome, StringComparison.Ordinal);
        Assert.True(second.Performed);
        Assert.False(overLimit.Performed);
        Assert.StartsWith("Limit", overLimit.Outcome, StringComparison.Ordinal);
        Assert.Equal(2, _platform.Requests.Count);
        Assert.Equal(4, restarter.GetAudit("myapp").Count);
    }

    [Theory]
    [InlineData(401, "refused the token")]
    [InlineData(404, "no such app or dyno")]
    [InlineData(429, "RateLimit-Remaining: 0")]
    public async Task Restart_PlatformApiErrors_AreReportedAndAudited(int status, string expected)
    {
        _platform.Status = status;
        using var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/apps/myapp/dynos/web.2/restart", new RestartRequest(null));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        var record = Assert.Single(_factory.Services.GetRequiredService<DynoRestarter>().GetAudit("myapp"));
        Assert.False(record.Performed);
        Assert.Equal(status, record.ApiStatus);
    }

    [Fact]
    public async Task Restart_TokenNeverAppearsInLogs()
    {
        using var client = _factory.CreateClient();
        await client.PostAsJsonAsync("/api/apps/myapp/dynos/web.2/restart", new RestartRequest(null));
        _platform.Status = 401;
        await client.PostAsJsonAsync("/api/apps/myapp/dynos/web.3/restart", new RestartRequest(null));

        Assert.NotEmpty(_logs.Messages);
        Assert.DoesNotContain(_logs.Messages, m => m.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_UnknownDyno_Is404()
    {
        using var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/apps/myapp/dynos/web.9/restart", new RestartRequest(null));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_platform.Requests);
    }

    public async Task DisposeAsync()
    {
        Dispose();
        await _platform.DisposeAsync();
    }

    public void Dispose()
    {
        _factory?.Dispose();
        _logs.Dispose();
    }
}
