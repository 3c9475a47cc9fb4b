using System.Net.Http.Json;
using DynoDashboard.Web.Analysis;

namespace DynoDashboard.Web.Tests.Analysis;

public sealed class DrainHealthApiTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(12);
    private readonly DashboardFactory _factory = new();

    [Fact]
    public async Task DrainHealth_CountsCompletenessSilenceLCodesDuplicatesAndMismatches()
    {
        var body = new LogplexBody();
        for (var i = 0; i < 45; i++) // 15 minutes at one reading per 20 s
        {
            var t = s_t0.AddSeconds(20 * i);
            body.Runtime(t, "web.1", 0.2, 300, 0);
            if (i % 2 == 0 && i < 30)
            {
                body.Runtime(t, "web.2", 0.2, 300, 0); // every other reading, then nothing for the last 5 minutes
            }

            body.Router(t, "web.2");
        }

        body.Add(172, s_t0.AddMinutes(14), "heroku", "logplex",
            $"Error L10 (output buffer overflow): 120 messages dropped since {TestTime.Syslog(s_t0.AddMinutes(13))}.");
        await _factory.PostLogplexAndWaitAsync("myapp", body, frameId: "FRAME-1");
        using var drain = _factory.CreateDrainClient();
        using (var retry = await drain.SendAsync(body.ToRequest("myapp", frameId: "FRAME-1"))) // a Logplex retry
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, retry.StatusCode); // dropped as a duplicate, still a 204
        }

        await _factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0.AddMinutes(15), "web.1"));
        var before = _factory.Counters.BatchesProcessed;
        await drain.SendAsync(new LogplexBody().Router(s_t0.AddMinutes(15), "web.1").ToRequest("myapp", declaredCount: 3));
        await _factory.Counters.WaitForProcessedAsync(before + 1).WaitAsync(TimeSpan.FromSeconds(10));
        using var client = _factory.CreateClient();

        var health = await client.GetFromJsonAsync<DrainHealthResponse>("/api/apps/myapp/drain-health?minutes=15");

        Assert.NotNull(health);
        Assert.Equal(1, health.DuplicateFrames);
        Assert.Equal(1, health.CountMismatches);
        Assert.Equal(3, health.Batches);
        Assert.Equal(1, health.LoggingErrors["L10"]);
        var web1 = health.Dynos.Single(d => d.Dyno == "web.1");
        var web2 = health.Dynos.Single(d => d.Dyno == "web.2");
        Assert.False(web1.Silent);
        Assert.True(web1.CompletenessPercent >= 95);
        Assert.True(web2.Silent, "web.2 is up but has sent no runtime sample for over 2 minutes");
        Assert.True(web2.CompletenessPercent < 50);
    }

    public void Dispose() => _factory.Dispose();
}
