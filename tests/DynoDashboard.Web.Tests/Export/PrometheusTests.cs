
namespace DynoDashboard.Web.Tests.Export;

public sealed class PrometheusTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(12);
    private const string ScrapeKey = "prometheus-scrape-key-1234567890";
    private readonly DashboardFactory _factory = new(new Dictionary<string, string?> { ["Dashboard:MetricsScrapeKey"] = ScrapeKey });

    [Fact]
    public async Task Metrics_ExposesPerDynoGaugesRouterCountersAndHistograms()
    {
        await _factory.PostLogplexAndWaitAsync("myapp", new LogplexBody()
            .Runtime(s_t0, "web.2", 2.5, 500, swapMb: 180)
            .Router(s_t0, "web.2", 503, serviceMs: 30000, code: "H12", desc: "Request timeout")
            .Router(s_t0, "web.2", 200, serviceMs: 40, path: "/secret/path?token=abc")
            .Router(s_t0, "web.1", 200, serviceMs: 20));
        using var client = _factory.CreateClient();

        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("heroku_dyno_memory_swap_megabytes{app=\"myapp\",process_type=\"web\",dyno=\"web.2\"} 180", text, StringComparison.Ordinal);
        Assert.Contains("heroku_dyno_load_avg_1m{app=\"myapp\",process_type=\"web\",dyno=\"web.2\"} 2.5", text, StringComparison.Ordinal);
        Assert.Contains("heroku_router_requests_total{app=\"myapp\",process_type=\"web\",dyno=\"web.2\",status_class=\"5xx\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("heroku_router_requests_total{app=\"myapp\",process_type=\"web\",dyno=\"web.2\",status_class=\"2xx\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("heroku_router_errors_total{app=\"myapp\",process_type=\"web\",dyno=\"web.2\",code=\"H12\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("heroku_router_service_milliseconds_bucket{app=\"myapp\",process_type=\"web\",dyno=\"web.2\",le=\"30000\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("dynodashboard_ingest{counter=\"lines_parsed\"} 5", text, StringComparison.Ordinal);
        // Bounded cardinality: no path, query or request-id labels, ever.
        Assert.DoesNotContain("/secret/path", text, StringComparison.Ordinal);
        Assert.DoesNotContain("request_id", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_NeedsAnApiKeyOrTheScrapeKey_AndTheScrapeKeyOpensNothingElse()
    {
        using var anonymous = _factory.CreateAnonymousClient();
        using var scraper = _factory.CreateAnonymousClient();
        scraper.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ScrapeKey);

        var denied = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        var scraped = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative));
        var api = await scraper.GetAsync(new Uri("/api/apps", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, scraped.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, api.StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}
