using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DynoDashboard.Web.Tests.Security;

public sealed class OpenAccessTests
{
    [Fact]
    public async Task ModeNone_OpensPagesAndApi_WarnsAtStart_DrainStillNeedsItsKey()
    {
        var logs = new CapturedLogs();
        using var factory = new DashboardFactory(new Dictionary<string, string?> { ["Dashboard:Auth:Mode"] = "None" },
            services => services.AddLogging(b => b.AddProvider(logs)));
        using var client = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        var api = await client.GetAsync(new Uri("/api/apps", UriKind.Relative));
        var drain = await client.SendAsync(new LogplexBody().Router(DateTimeOffset.UnixEpoch, "web.1").ToRequest("myapp"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, drain.StatusCode);
        Assert.Contains(logs.Messages, m => m.StartsWith("Warning", StringComparison.Ordinal) && m.Contains("Dashboard:Auth:Mode is None", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(factory.DataFolder, DynoDashboard.Web.Security.LoginToken.FileName)));
    }
}
