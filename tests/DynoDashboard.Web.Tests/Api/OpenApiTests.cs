using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Api;

public sealed class OpenApiTests : IDisposable
{
    // The one /api route that is not an endpoint of its own: the problem+json 404 for paths that match none.
    private const string NotFoundCatchAll = "/api/{**rest}";

    private readonly DashboardFactory _factory = new();

    [Fact]
    public async Task Document_ListsEveryMappedApiRoute()
    {
        using var client = _factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var documented = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var mapped = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal) && p != NotFoundCatchAll)
            .Select(p => p.TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(mapped.Count >= 15, $"expected the whole API, found {mapped.Count} routes");
        Assert.Empty(mapped.Except(documented));
        Assert.Empty(documented.Where(p => p.StartsWith("/api/", StringComparison.Ordinal)).Except(mapped));
    }

    [Fact]
    public async Task Document_DescribesParametersResponsesAndProblems()
    {
        using var client = _factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var series = document.RootElement.GetProperty("paths").GetProperty("/api/apps/{app}/dynos/{dyno}/series").GetProperty("get");
        var parameters = series.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        var responses = series.GetProperty("responses");

        Assert.Equal(["app", "dyno", "metric", "from", "to", "maxPoints"], parameters);
        Assert.False(string.IsNullOrEmpty(series.GetProperty("summary").GetString()));
        Assert.True(responses.GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(responses.GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.True(responses.GetProperty("404").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.True(responses.TryGetProperty("401", out _));
    }

    [Fact]
    public async Task DocumentAndReference_NeedTheSameSignInAsTheApi()
    {
        using var anonymous = _factory.CreateAnonymousClient(new() { AllowAutoRedirect = false });

        var document = await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var reference = await anonymous.GetAsync(new Uri("/api-reference", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, document.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, reference.StatusCode);
        Assert.Contains("/login?ReturnUrl=%2Fapi-reference", reference.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reference_SignedIn_ServesScalarPointingAtTheDocument()
    {
        using var client = await _factory.CreateSignedInClientAsync();

        // Scalar answers /api-reference with a redirect to its trailing-slash form, where the page is.
        var response = await client.GetAsync(new Uri("/api-reference/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        // The page's inline start-up script is allowed by its hash, nothing else inline.
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        var inline = Assert.Single(DynoDashboard.Web.Security.SecurityHeaders.InlineScripts(html));
        Assert.Contains("'sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(inline))) + "'",
            policy, StringComparison.Ordinal);
        var scriptSources = policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal));
        Assert.DoesNotContain("unsafe-inline", scriptSources, StringComparison.Ordinal);
    }

    public void Dispose() => _factory.Dispose();
}
