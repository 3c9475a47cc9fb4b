using Bunit;
using DynoDashboard.Web.Components.Pages;

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

    [Fact]
    public void Render_AppDeployAndRelease_MarkedOnTheSwapChart()
    {
        IngestFleet();
        IngestRollout();

        Render<Swap>(p => p.Add(c => c.App, "shop"));

        var init = Assert.Single(Calls("initializeChart"));
        Assert.Equal(RolloutMarkers, MarkersOf(init[0].GetProperty("markers")));
    }

    [Fact]
    public async Task Deploy_AfterRender_MarkerSentWithTheUpdate()
    {
        IngestFleet();
        Render<Swap>(p => p.Add(c => c.App, "shop"));
        Assert.Empty(MarkersOf(Assert.Single(Calls("initializeChart"))[0].GetProperty("markers")));

        IngestRollout();

        // updateChart's arguments: series, xMin, xMax, markers, categories.
        var update = await WaitForUpdateAsync(call => call[3].GetArrayLength() > 0);
        Assert.Equal(RolloutMarkers, MarkersOf(update[3]));
    }
}
