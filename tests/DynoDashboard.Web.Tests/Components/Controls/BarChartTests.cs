using Bunit;
using DynoDashboard.Web.Components.Controls;

namespace DynoDashboard.Web.Tests.Components.Controls;

public sealed class BarChartTests : DashboardTestContext
{
    private IRenderedComponent<BarChart> RenderShares(double web2) =>
        Render<BarChart>(p => p
            .Add(c => c.Title, "Share")
            .Add(c => c.Unit, "%")
            .Add(c => c.Categories, ["web.1", "web.2"])
            .Add(c => c.Series, [new BarSeries("errors", [0, web2]), new BarSeries("p95", [double.NaN, 1])]));

    [Fact]
    public void Render_FirstRender_InitializesBarsWithCategoriesAndNoNaN()
    {
        var cut = RenderShares(100);

        var (config, series) = (Calls("initializeChart")[0][0], Calls("initializeChart")[0][1]);
        Assert.Equal("bar", config.GetProperty("kind").GetString());
        Assert.Equal(["web.1", "web.2"], config.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal([0.0, 1.0], series[1].GetProperty("data").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("Share. errors: web.1 0 %, web.2 100 %; p95: web.1 0 %, web.2 1 %.", cut.Find("figcaption").TextContent);
    }

    [Fact]
    public void SetParameters_NewValues_UpdateNotRecreate()
    {
        var cut = RenderShares(100);

        cut.Render(p => p.Add(c => c.Series, [new BarSeries("errors", [10, 90]), new BarSeries("p95", [1, 1])]));

        Assert.Single(ChartModule.Invocations["initializeChart"]);
        Assert.Equal([10.0, 90.0], Calls("updateChart").Single()[0][0].GetProperty("data").EnumerateArray().Select(v => v.GetDouble()));
    }
}
