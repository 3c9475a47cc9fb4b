using System.Net;
using DynoDashboard.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Security;

public sealed class SecurityHeadersTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/login")]
    [InlineData("/api/status")]
    [InlineData("/api/no-such-endpoint")]
    [InlineData("/drain/myapp")]
    [InlineData("/healthz")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data:", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    [Fact]
    public async Task Page_CspAllowsOnlyItsOwnImportMapAsInlineScript()
    {
        using var factory = new DashboardFactory();
        using var client = await factory.CreateSignedInClientAsync();

        var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        var start = html.IndexOf("<script type=\"importmap\">", StringComparison.Ordinal) + "<script type=\"importmap\">".Length;
        var importMap = html[start..html.IndexOf("</script>", start, StringComparison.Ordinal)];
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(importMap)));
        Assert.Contains($"script-src 'self' 'sha256-{hash}';", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline';", Header(response, "Content-Security-Policy").Split("style-src")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_OnlyOnHttpsRequests()
    {
        using var factory = new DashboardFactory();
        using var https = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://dash.example.com") });
        using var http = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://dash.example.com") });

        var secure = await https.GetAsync(new Uri("/healthz", UriKind.Relative));
        var plain = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.StartsWith("max-age=", Header(secure, "Strict-Transport-Security"), StringComparison.Ordinal);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ForwardedProto_IgnoredUnlessConfigured()
    {
        using var factory = new DashboardFactory(services: FromProxy);

        var response = await SendForwardedHttpsAsync(factory);

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ForwardedProto_FromAKnownProxy_IsTrusted()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["Dashboard:ForwardedHeaders:Enabled"] = "true",
            ["Dashboard:ForwardedHeaders:KnownProxies:0"] = "10.0.0.5",
        }, FromProxy);

        var response = await SendForwardedHttpsAsync(factory);

        Assert.StartsWith("max-age=", Header(response, "Strict-Transport-Security"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedProto_FromAnUnknownAddress_IsIgnoredEvenWhenEnabled()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["Dashboard:ForwardedHeaders:Enabled"] = "true",
            ["Dashboard:ForwardedHeaders:KnownProxies:0"] = "10.0.0.99",
        }, FromProxy);

        var response = await SendForwardedHttpsAsync(factory);

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    private static async Task<HttpResponseMessage> SendForwardedHttpsAsync(DashboardFactory factory)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://dash.example.com") });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        return await client.SendAsync(request);
    }

    /// <summary>The test server has no remote address; make every request come from 10.0.0.5, like a proxy.</summary>
    private static void FromProxy(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter>(new ProxyAddressFilter());

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values)
        : throw new Xunit.Sdk.XunitException($"missing header {name} on {(int)response.StatusCode}");

    private sealed class ProxyAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5");
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
