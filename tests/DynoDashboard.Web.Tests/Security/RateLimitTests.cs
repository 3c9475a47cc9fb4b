using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DynoDashboard.Web.Tests.Security;

public sealed class RateLimitTests
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    [Fact]
    public async Task Login_PastTheLimit_Returns429ProblemWithRetryAfter()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Dashboard:RateLimits:LoginPerMinute"] = "3" });
        using var client = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await client.GetAsync(new Uri("/login?t=guess-" + i, UriKind.Relative));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("application/problem+json", last!.Content.Headers.ContentType?.MediaType);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Even the right token waits out the window: guessing cannot be sped up.
        var right = await client.GetAsync(new Uri($"/login?t={factory.LoginToken()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task Api_PastTheLimit_Returns429_DrainIsNotLimited()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Dashboard:RateLimits:ApiPerMinute"] = "2" });
        using var api = factory.CreateClient();
        using var drain = factory.CreateDrainClient();

        var first = await api.GetAsync(new Uri("/api/status", UriKind.Relative));
        var second = await api.GetAsync(new Uri("/api/apps", UriKind.Relative));
        var third = await api.GetAsync(new Uri("/api/status", UriKind.Relative));
        var drains = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            drains.Add((await drain.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.All(drains, s => Assert.Equal(HttpStatusCode.NoContent, s));
    }
}
