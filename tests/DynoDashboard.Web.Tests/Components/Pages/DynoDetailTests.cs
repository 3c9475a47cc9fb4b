using Bunit;
using DynoDashboard.Web.Components.Pages;

namespace DynoDashboard.Web.Tests.Components.Pages;

public sealed class DynoDetailTests : DashboardTestContext
{
    private IRenderedComponent<DynoDetail> RenderWeb2() =>
        Render<DynoDetail>(p => p.Add(c => c.App, "shop").Add(c => c.Dyno, "web.2"));

    [Fact]
    public void Render_Web2_FourChartsWithTheirSeries()
    {
        IngestFleet();

        RenderWeb2();

        var charts = Calls("initializeChart");
        Assert.Equal(4, charts.Count);
        Assert.Equal(["1 min", "5 min", "15 min"], SeriesOf(charts[0][1]).Select(s => s.Name));
        Assert.Equal(["total", "RSS", "cache", "swap"], SeriesOf(charts[1][1]).Select(s => s.Name));
        Assert.Equal(512, charts[1][0].GetProperty("quota").GetDouble());
        Assert.Equal(["2xx", "3xx", "4xx", "5xx"], SeriesOf(charts[2][1]).Select(s => s.Name));
        Assert.Equal(["p50", "p95", "p99"], SeriesOf(charts[3][1]).Select(s => s.Name));
        Assert.All(charts, c => Assert.All(SeriesOf(c[1]), s => Assert.InRange(s.Points, 0, PlotWidth)));
    }

    [Fact]
    public void Render_Web2_ErrorsAsMarkersAndAsAList()
    {
        IngestFleet();

        var cut = RenderWeb2();

        Assert.Equal(10, cut.FindAll(".dyno-events tbody tr").Count);
        var markers = Calls("initializeChart")[0][0].GetProperty("markers");
        Assert.True(markers.GetArrayLength() > 0);
        Assert.All(markers.EnumerateArray(), m => Assert.StartsWith("H12", m.GetProperty("label").GetString(), StringComparison.Ordinal));
        Assert.Contains("H12 ×10", cut.Find(".dyno-health").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AppDeployAndRelease_MarkedOnEveryChartOfTheDyno()
    {
        IngestFleet();
        IngestRollout();

        RenderWeb2();

        var charts = Calls("initializeChart");
        Assert.Equal(4, charts.Count);
        foreach (var chart in charts)
        {
            var markers = MarkersOf(chart[0].GetProperty("markers"));
            // The app-wide rollout joins the dyno's own H12s.
            Assert.Equal(RolloutMarkers, markers.Where(m => m.Label is "deploy" or "release"));
            Assert.Contains(markers, m => m.Label.StartsWith("H12", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Render_Web2_RequestsPerMinuteFromRollups()
    {
        IngestFleet();

        RenderWeb2();

        // 6 OK requests a minute; the newest minute is still filling and is rated over its filled part.
        var twoxx = Calls("initializeChart")[2][1][0].GetProperty("data");
        Assert.Equal(6, twoxx[0][1].GetDouble(), 3);
    }

    [Fact]
    public async Task NewSample_AfterRender_ChartsUpdatedNotRecreated()
    {
        IngestFleet();
        var cut = RenderWeb2();

        Ingest("shop", new LogplexBody().Runtime(T0.AddMinutes(10), "web.2", 3, 510, 70));

        await WaitForUpdateAsync(call => SeriesOf(call[0]) is [.., ("swap", 31)]);
        cut.WaitForAssertion(() => Assert.Contains("Swapping 70 MB", cut.Find(".dyno-health").TextContent, StringComparison.Ordinal));
        Assert.Equal(4, ChartModule.Invocations["initializeChart"].Count);
    }

    [Fact]
    public void ChooseWindow_FifteenMinutes_NewWindowSent()
    {
        IngestFleet();
        var cut = RenderWeb2();

        cut.FindAll(".mud-toggle-item").Single(e => e.TextContent.Trim() == "15m").Click();

        var update = Calls("updateChart")[0];
        Assert.Equal(15, (update[2].GetInt64() - update[1].GetInt64()) / 60_000);
    }

    [Fact]
    public void Render_ManyEvents_ListsTheNewestHundredAndSaysSo()
    {
        var body = new LogplexBody().Runtime(T0, "web.2", 2, 500, 10);
        for (var i = 0; i < 150; i++)
        {
            body.Router(T0.AddSeconds(i), "web.2", status: 503, serviceMs: 30_000, code: "H12", desc: "Request timeout");
        }

        Ingest("shop", body);

        var cut = RenderWeb2();

        Assert.Equal(DynoDetail.ListedEvents, cut.FindAll(".dyno-events tbody tr").Count);
        Assert.Contains("The newest 100 of 150 events", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownDyno_SaysNoData()
    {
        IngestFleet();

        var cut = Render<DynoDetail>(p => p.Add(c => c.App, "shop").Add(c => c.Dyno, "web.9"));

        Assert.Contains("No data for dyno", cut.Find(".mud-alert").TextContent, StringComparison.Ordinal);
    }
}
