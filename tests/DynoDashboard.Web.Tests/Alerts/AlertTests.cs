using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DynoDashboard.Web.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Alerts;

public sealed class AlertTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(12);
    private readonly ConcurrentQueue<JsonDocument> _received = new();
    private readonly TaskCompletionSource<JsonDocument> _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _hang = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failuresLeft = 2;
    private int _attempts;
    private LoopbackServer _webhook = null!;

    public async Task InitializeAsync() => _webhook = await LoopbackServer.StartAsync(app =>
    {
        app.MapPost("/hook", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _attempts);
            var body = await JsonDocument.ParseAsync(context.Request.Body);
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                context.Response.StatusCode = 500;
                return;
            }

            _received.Enqueue(body);
            _delivered.TrySetResult(body);
        });
        app.MapPost("/slow", async () =>
        {
            await _hang.Task;
            return Results.Ok();
        });
    });

    private DashboardFactory Factory(string hookPath, string format = "Json", string rule = "memory_swap > 50", bool restart = false,
        string? platform = null) => new(new Dictionary<string, string?>
        {
            ["Alerts:Rules:0:Name"] = "swap",
            ["Alerts:Rules:0:Rule"] = rule,
            ["Alerts:Rules:0:RestartDyno"] = restart.ToString(),
            ["Alerts:Webhooks:0:Url"] = new Uri(_webhook.BaseUrl, hookPath).ToString(),
            ["Alerts:Webhooks:0:Format"] = format,
            ["Alerts:RetryBaseDelayMs"] = "10",
            ["Heroku:ApiToken"] = platform is null ? null : "token-for-the-fake-platform",
            ["Heroku:ApiBaseUrl"] = platform ?? "https://api.heroku.com",
        });

    [Fact]
    public async Task FiringRule_IsPostedToTheWebhook_RetryingAFailingEndpoint()
    {
        using var factory = Factory("/hook");
        await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Runtime(s_t0, "web.2", 2.0, 500, swapMb: 120));

        await factory.Services.GetRequiredService<AlertService>().EvaluateAsync(default);
        var payload = (await _delivered.Task.WaitAsync(TimeSpan.FromSeconds(15))).RootElement;

        Assert.Equal(3, Volatile.Read(ref _attempts)); // two 500s, then delivered
        Assert.Equal("swap", payload.GetProperty("rule").GetString());
        Assert.Equal("myapp", payload.GetProperty("app").GetString());
        Assert.Equal("web.2", payload.GetProperty("dyno").GetString());
        Assert.Equal("firing", payload.GetProperty("state").GetString());
        Assert.Equal(120, payload.GetProperty("value").GetDouble());
        using var client = factory.CreateClient();
        var alerts = await client.GetFromJsonAsync<JsonElement>("/api/alerts?app=myapp");
        Assert.Equal("web.2", alerts.GetProperty("firing")[0].GetProperty("dyno").GetString());
        Assert.Equal("Firing", alerts.GetProperty("history")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task SlackWebhook_GetsATextMessage()
    {
        _failuresLeft = 0;
        using var factory = Factory("/hook", format: "Slack");
        await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Runtime(s_t0, "web.2", 2.0, 500, swapMb: 120));

        await factory.Services.GetRequiredService<AlertService>().EvaluateAsync(default);
        var payload = (await _delivered.Task.WaitAsync(TimeSpan.FromSeconds(15))).RootElement;

        var text = payload.GetProperty("text").GetString();
        Assert.Contains("FIRING swap on myapp web.2", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangingWebhook_NeverSlowsIngestion()
    {
        using var factory = Factory("/slow");
        await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Runtime(s_t0, "web.2", 2.0, 500, swapMb: 120));
        await factory.Services.GetRequiredService<AlertService>().EvaluateAsync(default);

        // The notifier is stuck on the webhook; batches must still be parsed at once.
        for (var i = 1; i <= 5; i++)
        {
            var response = await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0.AddSeconds(i), "web.1"));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        Assert.Equal(5, factory.Counters.Snapshot(0, 0).LinesByKind.Router);
        _hang.TrySetResult();
    }

    [Fact]
    public async Task RestartRule_RestartsTheDynoThroughThePlatformApi()
    {
        await using var platform = await FakePlatformApi.StartAsync();
        _failuresLeft = 0;
        using var factory = Factory("/hook", restart: true, platform: platform.BaseUrl.ToString());
        await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Runtime(s_t0, "web.2", 2.0, 500, swapMb: 120));

        await factory.Services.GetRequiredService<AlertService>().EvaluateAsync(default);

        var call = Assert.Single(platform.Requests);
        Assert.Equal("/apps/myapp/dynos/web.2", call.Path);
        using var client = factory.CreateClient();
        var audit = await client.GetFromJsonAsync<JsonElement>("/api/apps/myapp/restarts");
        Assert.Equal("rule 'swap'", audit[0].GetProperty("requestedBy").GetString());
        Assert.True(audit[0].GetProperty("automatic").GetBoolean());
    }

    [Fact]
    public async Task RulesApi_AddsListsRejectsAndRemovesRules()
    {
        using var factory = Factory("/hook");
        using var client = factory.CreateClient();

        var added = await client.PutAsJsonAsync("/api/alerts/rules/h12", new AlertRuleRequest("5 or more H12 in 5m", "myapp", "web", 10, false));
        var bad = await client.PutAsJsonAsync("/api/alerts/rules/bad", new AlertRuleRequest("swap is high", null, null, null, false));
        var configured = await client.DeleteAsync(new Uri("/api/alerts/rules/swap", UriKind.Relative));
        var rules = await client.GetFromJsonAsync<List<AlertRuleResponse>>("/api/alerts/rules");
        var removed = await client.DeleteAsync(new Uri("/api/alerts/rules/h12", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, configured.StatusCode);
        Assert.NotNull(rules);
        Assert.Equal(["swap", "h12"], rules.Select(r => r.Name));
        Assert.True(rules[0].FromConfiguration);
        Assert.Equal("Pattern", rules[1].Kind);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
    }

    [Fact]
    public void InvalidConfiguredRule_FailsStartupNamingIt()
    {
        using var factory = Factory("/hook", rule: "swap is high");

        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Alerts:Rules:0 ('swap')", ex.ToString(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        _hang.TrySetResult();
        await _webhook.DisposeAsync();
        foreach (var doc in _received)
        {
            doc.Dispose();
        }
    }
}
