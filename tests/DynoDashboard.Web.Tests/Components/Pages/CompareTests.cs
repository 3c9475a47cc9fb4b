using Bunit;
using DynoDashboard.Web.Components.Pages;

namespace DynoDashboard.Web.Tests.Components.Pages;

public sealed class CompareTests : DashboardTestContext
{
    [Fact]
    public void Render_Web2HasTheErrors_Web2FlaggedInAlertAndTable()
    {
        IngestFleet();

        var cut = Render<Compare>(p => p.Add(c => c.App, "shop"));

        Assert.Equal("web.2", cut.Find("tr.dyno-row--concern .dyno-name").TextContent);
        Assert.Single(cut.FindAll(".outlier-flag"));
        Assert.Equal("web.2 has 100 % of the errors but only 36.8 % of the requests (H12 ×10). A restart of web.2 may help.",
            cut.Find(".outlier-alert .mud-alert-message").TextContent.Trim());
    }

    [Fact]
    public void Render_Fleet_FourBarChartsPerDyno()
    {
        IngestFleet();

        Render<Compare>(p => p.Add(c => c.App, "shop"));

        var charts = Calls("initializeChart");
        Assert.Equal(4, charts.Count);
        Assert.All(charts, c => Assert.Equal(["web.1", "web.2", "web.3", "worker.1"],
            c[0].GetProperty("categories").EnumerateArray().Select(e => e.GetString())));
        Assert.Equal(["requests", "errors"], SeriesOf(charts[0][1]).Select(s => s.Name));
        Assert.Equal(["H12"], SeriesOf(charts[1][1]).Select(s => s.Name));
    }

    [Fact]
    public void ClickSort_ErrorsHeader_RowsOrderedByErrorShare()
    {
        IngestFleet();
        var cut = Render<Compare>(p => p.Add(c => c.App, "shop"));

        var errors = cut.FindAll(".mud-table-sort-label").Single(e => e.TextContent.Trim() == "Errors");
        errors.Click();
        cut.FindAll(".mud-table-sort-label").Single(e => e.TextContent.Trim() == "Errors").Click();

        cut.WaitForAssertion(() => Assert.Equal("web.2", cut.FindAll(".compare-table .dyno-name")[0].TextContent));
    }
}
