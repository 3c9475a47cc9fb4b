using DynoDashboard.Core.History;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Web.Alerts;
using DynoDashboard.Web.Heroku;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.History;

/// <summary>User rules, alert history and the restart audit live in the history file and come back after a restart.</summary>
public sealed class OperationsPersistenceTests
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(12);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task Restart_OnTheSameDataFolder_BringsBackRulesAlertHistoryAndRestartAudit()
    {
        await using var platform = await FakePlatformApi.StartAsync();
        var folder = DashboardFactory.NewDataFolder();
        var settings = new Dictionary<string, string?>
        {
            ["Heroku:ApiToken"] = "heroku-api-token-persist-0001",
            ["Heroku:ApiBaseUrl"] = platform.BaseUrl.ToString(),
        };
        try
        {
            using (var first = new DashboardFactory(settings, dataFolder: folder))
            {
                await first.PostLogplexAndWaitAsync("myapp", new LogplexBody()
                    .Runtime(s_t0, "web.1", 0.2, 300, 0, incarnation: "heroku.1.aaaa")
                    .Runtime(s_t0, "web.2", 3.0, 500, 180, incarnation: "heroku.1.bbbb"));
                using var client = first.CreateClient();
                var put = await client.PutAsJsonAsync("/api/alerts/rules/swap", new AlertRuleRequest("memory_swap > 50", "myapp", "web", 5, false));
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
                await first.Services.GetRequiredService<AlertService>().EvaluateAsync(default);
                var restart = await client.PostAsJsonAsync("/api/apps/myapp/dynos/web.2/restart", new RestartRequest("swapping"));
                Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
            }

            using var second = new DashboardFactory(settings, dataFolder: folder);
            using var again = second.CreateClient();

            var rules = await again.GetFromJsonAsync<List<AlertRuleResponse>>("/api/alerts/rules");
            var alerts = await again.GetFromJsonAsync<AlertsResponse>("/api/alerts", s_json);
            var audit = await again.GetFromJsonAsync<List<RestartRecord>>("/api/apps/myapp/restarts");

            var rule = Assert.Single(rules!, r => r.Name == "swap");
            Assert.Equal("memory_swap", rule.Metric);
            Assert.Equal(50, rule.Threshold);
            Assert.Equal("web", rule.Scope);
            Assert.Equal(5, rule.CooldownMinutes);
            Assert.False(rule.FromConfiguration);
            var fired = Assert.Single(alerts!.History);
            Assert.Equal(("swap", "myapp", "web.2", AlertState.Firing), (fired.Rule, fired.App, fired.Dyno, fired.State));
            var record = Assert.Single(audit!);
            Assert.Equal(("web.2", "swapping", 202, true), (record.Dyno, record.Reason, record.ApiStatus, record.Performed));
            Assert.Equal("heroku.1.bbbb", record.IncarnationBefore);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task DeleteRule_ThenRestart_RuleStaysGone()
    {
        var folder = DashboardFactory.NewDataFolder();
        try
        {
            using (var first = new DashboardFactory(dataFolder: folder))
            {
                using var client = first.CreateClient();
                await client.PutAsJsonAsync("/api/alerts/rules/gone", new AlertRuleRequest("outlier", null, null, null, false));
                await client.PutAsJsonAsync("/api/alerts/rules/kept", new AlertRuleRequest("no samples for 2m", null, null, null, false));
                var deleted = await client.DeleteAsync(new Uri("/api/alerts/rules/gone", UriKind.Relative));
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }

            using var second = new DashboardFactory(dataFolder: folder);
            using var again = second.CreateClient();

            var rules = await again.GetFromJsonAsync<List<AlertRuleResponse>>("/api/alerts/rules");

            Assert.Equal(["kept"], rules!.Select(r => r.Name));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
