using System.Net;
using System.Net.Http.Json;
using DynoDashboard.Web.Analysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DynoDashboard.Web.Tests.Analysis;

public sealed class InsightsApiTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(12);
    private readonly DashboardFactory _factory = new();

    [Fact]
    public async Task Insights_SickWeb2ForFourMinutes_IsListedWithItsEvidence()
    {
        await PostMinutesAsync(0, 1);
        Evaluator().EvaluateAll();
        await PostMinutesAsync(1, 4.5);
        Evaluator().EvaluateAll();
        using var client = _factory.CreateClient();

        var insights = await client.GetFromJsonAsync<List<InsightResponse>>("/api/apps/myapp/insights");

        var outlier = Assert.Single(insights!, i => i.Kind == "outlier");
        Assert.Equal("web.2", outlier.Dyno);
        Assert.Contains("had 100 % of the H12s", outlier.Summary, StringComparison.Ordinal);
        Assert.Contains(outlier.Signals, s => s.Name == "swap" && s.Value == 180 && s.SiblingMedian == 0);
        Assert.Contains(insights!, i => i.Kind == "memory" && i.Dyno == "web.2" && i.Summary.Contains("swapping since", StringComparison.Ordinal));
        Assert.DoesNotContain(insights!, i => i.Dyno != "web.2");
    }

    [Fact]
    public async Task Insights_UnknownApp_Is404Problem()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/apps/nope/insights", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private InsightEvaluator Evaluator() =>
        _factory.Services.GetServices<IHostedService>().OfType<InsightEvaluator>().Single();

    /// <summary>Four web dynos; web.2 swaps 180 MB and times out a tenth of its requests with H12.</summary>
    private async Task PostMinutesAsync(double fromMinute, double toMinute)
    {
        var body = new LogplexBody();
        for (var t = s_t0.AddMinutes(fromMinute); t < s_t0.AddMinutes(toMinute); t = t.AddSeconds(20))
        {
            foreach (var dyno in new[] { "web.1", "web.2", "web.3", "web.4" })
            {
                var sick = dyno == "web.2";
                body.Runtime(t, dyno, load1m: sick ? 3.0 : 0.2, rssMb: sick ? 500 : 300, swapMb: sick ? 180 : 0);
                for (var r = 0; r < 10; r++)
                {
                    if (sick && r == 0)
                    {
                        body.Router(t.AddSeconds(r), dyno, 503, serviceMs: 30000, code: "H12", desc: "Request timeout");
                    }
                    else
                    {
                        body.Router(t.AddSeconds(r), dyno, 200, serviceMs: 100 + r);
                    }
                }
            }
        }

        await _factory.PostLogplexAndWaitAsync("myapp", body);
    }

    public void Dispose() => _factory.Dispose();
}
