using Bunit;
using DynoDashboard.Core.Live;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using DynoDashboard.Web.Components.Controls;
using DynoDashboard.Web.Components.Pages;

namespace DynoDashboard.Web.Tests.Components.Pages;

public sealed class FleetTests : DashboardTestContext
{
    private IRenderedComponent<Fleet> RenderShop() => Render<Fleet>(p => p.Add(c => c.App, "shop"));

    [Fact]
    public void Render_Fleet_RowsGroupedByProcessType()
    {
        IngestFleet();

        var cut = RenderShop();

        Assert.Equal(["web (3 dynos)", "worker (1 dyno)"], cut.FindAll(".process-type").Select(e => e.TextContent.Trim()));
        Assert.Equal(["web.1", "web.2", "web.3", "worker.1"], cut.FindAll(".dyno-name").Select(e => e.TextContent));
    }

    [Fact]
    public void Render_Web2SwapsAndTimesOut_StandsOutByIconTextAndColour()
    {
        IngestFleet();

        var cut = RenderShop();

        var concern = Assert.Single(cut.FindAll("tr.dyno-row--concern"));
        Assert.Equal("web.2", concern.QuerySelector(".dyno-name")!.TextContent);
        Assert.Equal("Swapping 58 MB · Over quota (558 of 512 MB) · H12 ×10", concern.QuerySelector(".dyno-status span")!.TextContent);
        Assert.NotNull(concern.QuerySelector(".dyno-status svg"));
        Assert.Equal(["H12 ×10"], concern.QuerySelectorAll(".error-chip").Select(e => e.TextContent.Trim()));
        Assert.Contains("558", concern.QuerySelector(".memory-bar")!.GetAttribute("aria-valuenow"), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Fleet_RequestRateAndOneSparklinePerDyno()
    {
        IngestFleet();

        var cut = RenderShop();

        // web.1 serves 2 requests every 20 s; the rollups overlapping the last five minutes hold 32 of them.
        Assert.Equal("6.4", cut.FindAll("tr.dyno-row")[0].QuerySelectorAll("td")[7].TextContent.Trim());
        Assert.Equal(4, ChartModule.Invocations["initializeChart"].Count);
        Assert.All(Calls("initializeChart"), call => Assert.Equal("sparkline", call[0].GetProperty("kind").GetString()));
    }

    [Fact]
    public void Render_AppDeployAndRelease_MarkedOnEveryDynosSparkline()
    {
        IngestFleet();
        IngestRollout();

        RenderShop();

        var sparklines = Calls("initializeChart");
        Assert.Equal(4, sparklines.Count);
        Assert.All(sparklines, call => Assert.Equal(RolloutMarkers, MarkersOf(call[0].GetProperty("markers"))));
    }

    [Fact]
    public async Task NewSample_AfterRender_RowUpdatesLive()
    {
        IngestFleet();
        var cut = RenderShop();

        Ingest("shop", new LogplexBody().Runtime(T0.AddMinutes(10), "web.3", 1.75, 300, 0));

        cut.WaitForAssertion(() => Assert.Equal("1.75", cut.FindAll("tr.dyno-row")[2].QuerySelectorAll("td")[4].TextContent.Trim()));
        await WaitForUpdateAsync(call => call[0][0].GetProperty("data").GetArrayLength() == 31);
        // Updated in place: the sparklines are not torn down and re-created on every refresh.
        Assert.Equal(4, ChartModule.Invocations["initializeChart"].Count);
        Assert.Empty(ChartModule.Invocations["disposeChart"]);
    }

    [Fact]
    public void Render_MoreDynosThanTheThreshold_EveryTableVirtualized()
    {
        IngestFleet();
        var body = new LogplexBody();
        for (var i = 2; i <= Fleet.VirtualizeAbove; i++)
        {
            body.Runtime(T0, $"worker.{i}", 0.5, 300, 0);
        }

        Ingest("shop", body);

        var cut = RenderShop();

        // 3 web + 30 worker dynos: both tables render through <Virtualize> (bUnit's stand-in viewport shows every row).
        Assert.Equal([3, Fleet.VirtualizeAbove], cut.FindComponents<Virtualize<Fleet.FleetRow>>().Select(v => v.Instance.Items!.Count));
        Assert.Contains("worker.30", cut.FindAll(".dyno-name").Select(e => e.TextContent));
        Assert.Equal(["web (3 dynos)", "worker (30 dynos)"], cut.FindAll(".process-type").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public void Render_ThresholdOrFewerDynos_EveryRowRendered()
    {
        IngestFleet();

        Assert.Empty(RenderShop().FindComponents<Virtualize<Fleet.FleetRow>>());
    }

    [Fact]
    public void Render_UnknownApp_SaysNoDataYet() =>
        Assert.Contains("No data has arrived", RenderShop().Find(".mud-alert").TextContent, StringComparison.Ordinal);

    [Fact]
    public void FleetRow_HoldsNoSparklineSeries()
    {
        // A row's series is read as the row renders: a circuit must not keep one for every dyno of a virtualized fleet,
        // most of which are out of view (docs/perf.md, memory per circuit).
        Assert.DoesNotContain(typeof(Fleet.FleetRow).GetProperties(),
            p => p.PropertyType.IsAssignableTo(typeof(IEnumerable<ChartLine>)));
    }

    [Fact]
    public void FleetRow_HoldsNeitherTheSnapshotNorItsErrorDictionary()
    {
        // A circuit keeps a row for every dyno, also those out of view; the snapshot would bring its incarnation list
        // and a dictionary of error codes per dyno along (docs/perf.md, memory per circuit).
        Assert.DoesNotContain(typeof(Fleet.FleetRow).GetProperties(),
            p => p.PropertyType == typeof(DynoSnapshot) || p.PropertyType.IsAssignableTo(typeof(IReadOnlyDictionary<string, int>)));
    }

    [Fact]
    public void Render_DynoWithSeveralErrorCodes_ChipsMostFrequentFirst()
    {
        var body = new LogplexBody();
        for (var i = 0; i < 5; i++)
        {
            body.Router(T0.AddSeconds(i), "web.1", 503, serviceMs: 30000, code: "H12", desc: "Request timeout");
        }

        for (var i = 0; i < 2; i++)
        {
            body.Router(T0.AddSeconds(10 + i), "web.1", 503, serviceMs: 1, code: "H13", desc: "Connection closed without response");
        }

        body.Router(T0.AddSeconds(20), "web.1");
        Ingest("shop", body);

        var cut = RenderShop();

        Assert.Equal(["H12 ×5", "H13 ×2"], cut.FindAll("tr.dyno-row .error-chip").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public void Render_Fleet_MemoryBarIsMarkupNotAComponentPerRow()
    {
        IngestFleet();

        var cut = RenderShop();

        Assert.Equal(4, cut.FindAll("tr.dyno-row .memory-bar").Count);
        Assert.Empty(cut.FindComponents<MemoryBar>());
    }
}
