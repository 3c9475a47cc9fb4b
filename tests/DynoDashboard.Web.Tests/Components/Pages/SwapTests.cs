using Bunit;
using DynoDashboard.Web.Components.Pages;
using DynoDashboard.Web.Tests.Infrastructure;

namespace DynoDashboard.Web.Tests.Components.Pages;

public sealed class SwapTests : DashboardTestContext
{
    [Fact]
    public void Render_Fleet_OneSeriesPerDynoNamedByTheDyno()
    {
        IngestFleet();

        Render<Swap>(p => p.Add(c => c.App, "shop"));

        var init = Assert.Single(Calls("initializeChart"));
        Assert.Equal([("web.1", 30), ("web.2", 30), ("web.3", 30), ("worker.1", 30)], SeriesOf(init[1]));
    }

    [Fact]
    public async Task NewSample_AfterRender_SeriesGrowsLive()
    {
        IngestFleet();
        var cut = Render<Swap>(p => p.Add(c => c.App, "shop"));

        Ingest("shop", new LogplexBody().Runtime(T0.AddMinutes(10), "web.2", 2, 500, 61));

        await WaitForUpdateAsync(call => SeriesOf(call[0])[1] == ("web.2", 31));
        Assert.Contains("web.2: 61 MB now", cut.Find("figcaption").TextContent, StringComparison.Ordinal);
    }
}
