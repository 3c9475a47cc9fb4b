using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Ingestion;

/// <summary>The load generator's baseline endpoint exists only when a benchmark run asks for it.</summary>
public sealed class BareDrainEndpointTests
{
    private const string BarePattern = "/drain-bare/{app}";

    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    [Fact]
    public async Task PostBare_ByDefault_IsNotMapped()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateClient();

        var response = await client.SendAsync(BareRequest());

        // No route: the POST falls through to sign-in and the pages; nothing answers it as a drain would.
        Assert.NotEqual(HttpStatusCode.NoContent, response.StatusCode);
        Assert.DoesNotContain(BarePattern, RoutePatterns(factory));
    }

    [Fact]
    public async Task PostBare_WhenEnabled_Returns204AndParsesNothing()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Ingest:BareEndpointForBenchmarks"] = "true" });
        using var client = factory.CreateClient();

        var response = await client.SendAsync(BareRequest());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, factory.Counters.BatchesReceived);
        Assert.Contains(BarePattern, RoutePatterns(factory));
    }

    private static IEnumerable<string?> RoutePatterns(DashboardFactory factory) => factory.Services
        .GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText);

    private static HttpRequestMessage BareRequest()
    {
        var request = new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp");
        request.RequestUri = new Uri("/drain-bare/myapp", UriKind.Relative);
        return request;
    }
}
