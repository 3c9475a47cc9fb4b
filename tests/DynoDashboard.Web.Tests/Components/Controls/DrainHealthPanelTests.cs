using Bunit;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Components.Controls;

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

    [Fact]
    public void Row_OneMarkupStringWithEveryCellAndTheStateEncoded()
    {
        var dyno = new DynoCompleteness(new DynoName("web.1"), "<b>up</b>", T0.AddSeconds(60), T0.AddSeconds(40), 3, 4, Silent: false);

        var markup = DrainHealthPanel.Row(dyno).Value;

        Assert.Equal(
            "<tr class=\"drain-dyno\" data-dyno=\"web.1\"><td>web.1</td><td>&lt;b&gt;up&lt;/b&gt;</td>" +
            "<td>3 / 4</td><td>75 %</td><td>10:00:40</td><td>10:01:00</td></tr>",
            markup);
        Assert.Contains("<td>silent</td>", DrainHealthPanel.Row(dyno with { Silent = true }).Value, StringComparison.Ordinal);
        Assert.Contains("class=\"drain-dyno drain-dyno--silent\"", DrainHealthPanel.Row(dyno with { Silent = true }).Value, StringComparison.Ordinal);
    }
}
