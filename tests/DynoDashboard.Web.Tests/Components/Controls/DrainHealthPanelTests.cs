using Bunit;
using DynoDashboard.Web.Components.Controls;
using DynoDashboard.Web.Tests.Infrastructure;

namespace DynoDashboard.Web.Tests.Components.Controls;

public sealed class DrainHealthPanelTests : DashboardTestContext
{
    [Fact]
    public void Render_NoDynoSilent_ClosedWithoutRowsUntilOpened()
    {
        IngestFleet();

        var cut = Render<DrainHealthPanel>(p => p.Add(c => c.App, "shop"));

        // Closed, the panel renders no row (a circuit would hold them for nothing), but still sums up the fleet.
        Assert.Empty(cut.FindAll("tr.drain-dyno"));
        Assert.Contains("0 silent", cut.Find(".drain-health-summary").TextContent, StringComparison.Ordinal);

        cut.Find(".mud-expand-panel-header").Click();
        Assert.Equal(["web.1", "web.2", "web.3", "worker.1"], cut.FindAll("tr.drain-dyno").Select(r => r.GetAttribute("data-dyno")));

        cut.Find(".mud-expand-panel-header").Click();
        Assert.Empty(cut.FindAll("tr.drain-dyno"));
    }
}
