using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DynoDashboard.Web.Tests.Security;

/// <summary>
/// Runs that use every secret, right and wrong, capturing all logs (our own categories at Trace; framework
/// categories at the levels the app ships with, as in production) and every response body, then searches them.
/// </summary>
public sealed class SecretsTests
{
    private const string SecondApiKey = "second-api-key-abcdefabcdefabcdef";
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    [Fact]
    public async Task BrowserTokenRun_SecretsNeverInLogsOrResponses_TokenOnlyInItsBanner()
    {
        var logs = new CapturedLogs();
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["Dashboard:ApiKeys:1"] = SecondApiKey,
            ["Logging:LogLevel:DynoDashboard"] = "Trace",
        }, services => services.AddLogging(b => b.AddProvider(logs)));
        var token = factory.LoginToken();
        var bodies = new List<string>();

        using (var browser = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            bodies.Add(await ReadAsync(browser, $"/login?t={token}x"));   // wrong token
            bodies.Add(await ReadAsync(browser, $"/login?t={token}"));    // right token
            bodies.Add(await ReadAsync(browser, "/"));
            bodies.Add(await ReadAsync(browser, "/login"));
        }

        foreach (var bearer in new[] { DashboardFactory.ApiKey, SecondApiKey, SecondApiKey + "x", token, DashboardFactory.Key })
        {
            using var api = factory.CreateAnonymousClient();
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            bodies.Add(await ReadAsync(api, "/api/status"));
            bodies.Add(await ReadAsync(api, "/api/apps/nope/dynos"));
            bodies.Add(await ReadAsync(api, "/api/apps/nope/events?limit=0"));
        }

        await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(s_t0, "web.1"));
        using (var wrongDrain = factory.CreateDrainClient(DashboardFactory.ApiKey))
        {
            var response = await wrongDrain.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"));
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        using (var queryKey = factory.CreateAnonymousClient())
        {
            var response = await queryKey.PostAsync(new Uri($"/drain/Bad_App?key={DashboardFactory.Key}", UriKind.Relative),
                new StringContent("x", Encoding.UTF8, "application/logplex-1"));
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Contains(logs.Messages, m => m.Contains("Failed dashboard sign-in", StringComparison.Ordinal));
        foreach (var secret in new[] { DashboardFactory.ApiKey, SecondApiKey, DashboardFactory.Key })
        {
            Assert.DoesNotContain(logs.Messages, m => m.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(bodies, b => b.Contains(secret, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(bodies, b => b.Contains(token, StringComparison.Ordinal));
        var withToken = Assert.Single(logs.Messages, m => m.Contains(token, StringComparison.Ordinal));
        Assert.Contains($"/login?t={token}", withToken, StringComparison.Ordinal);
        Assert.Contains("Open this link to sign in", withToken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordRun_PasswordAndHashNeverInLogsOrResponses()
    {
        var logs = new CapturedLogs();
        var settings = PasswordModeTests.Settings();
        settings["Logging:LogLevel:DynoDashboard"] = "Trace";
        using var factory = new DashboardFactory(settings, services => services.AddLogging(b => b.AddProvider(logs)));
        var bodies = new List<string>();

        using (var browser = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            var (wrong, _) = await SignInTests.SubmitLoginAsync(browser, PasswordModeTests.Password + "x");
            bodies.Add(await wrong.Content.ReadAsStringAsync());
            var (right, _) = await SignInTests.SubmitLoginAsync(browser, PasswordModeTests.Password);
            bodies.Add(await right.Content.ReadAsStringAsync());
            bodies.Add(await ReadAsync(browser, "/"));
        }

        var hash = settings["Dashboard:Auth:PasswordHash"]!;
        Assert.NotEmpty(logs.Messages);
        foreach (var secret in new[] { PasswordModeTests.Password, hash })
        {
            Assert.DoesNotContain(logs.Messages, m => m.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(bodies, b => b.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void InvalidSecuritySettings_FailStartupNamingEachSettingWithoutEchoingSecrets()
    {
        const string badKey = "short secret";
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["Dashboard:Auth:Mode"] = "Pasword",
            ["Dashboard:ApiKeys:1"] = badKey,
            ["Dashboard:ForwardedHeaders:KnownProxies:0"] = "not-an-ip",
            ["Dashboard:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/99",
            ["Dashboard:RateLimits:LoginPerMinute"] = "0",
            ["Dashboard:Auth:SessionHours"] = "0",
        });

        var text = Assert.ThrowsAny<Exception>(() => factory.CreateClient()).ToString();

        foreach (var setting in new[] { "Dashboard:Auth:Mode", "Dashboard:ApiKeys:1", "Dashboard:ForwardedHeaders:KnownProxies:0",
            "Dashboard:ForwardedHeaders:KnownNetworks:0", "Dashboard:RateLimits:LoginPerMinute", "Dashboard:Auth:SessionHours" })
        {
            Assert.Contains(setting, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(badKey, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-base64-!!")]
    [InlineData("AAAA")]
    public void PasswordModeWithoutAValidHash_FailsStartup(string? hash)
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["Dashboard:Auth:Mode"] = "Password",
            ["Dashboard:Auth:PasswordHash"] = hash,
        });

        var text = Assert.ThrowsAny<Exception>(() => factory.CreateClient()).ToString();

        Assert.Contains("Dashboard:Auth:PasswordHash", text, StringComparison.Ordinal);
    }

    private static async Task<string> ReadAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }
}
