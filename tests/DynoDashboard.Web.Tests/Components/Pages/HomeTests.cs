using Bunit;
using DynoDashboard.Web.Components.Pages;
using DynoDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Components.Pages;

public sealed class HomeTests : DashboardTestContext
{
    [Fact]
    public void Render_NoApps_SaysHowToStart() =>
        Assert.Contains("No logs yet", Render<Home>().Find(".mud-alert").TextContent, StringComparison.Ordinal);

    [Fact]
    public void Render_OneApp_GoesStraightToIt()
    {
        IngestFleet("shop");

        Render<Home>();

        Assert.EndsWith("/apps/shop", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TwoApps_ListsThemAndAThirdAppearsLive()
    {
        IngestFleet("shop");
        IngestFleet("api");
        var cut = Render<Home>();

        Assert.Equal(["apps/api", "apps/shop"], cut.FindAll("a.app-name").Select(a => a.GetAttribute("href")));

        Ingest("billing", new LogplexBody().Router(T0, "web.1"));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("a.app-name").Count));
    }
}
