using Bunit;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Web.Components.Controls;

namespace DynoDashboard.Web.Tests.Components.Controls;

public sealed class WindowPickerTests : DashboardTestContext
{
    [Fact]
    public void Click_SixHours_ReportsTheWindow()
    {
        ChartWindow? chosen = null;
        var cut = Render<WindowPicker>(p => p
            .Add(c => c.Value, ChartWindow.OneHour)
            .Add(c => c.ValueChanged, w => chosen = w));

        Assert.Equal(["15m", "1h", "6h", "24h"], cut.FindAll(".mud-toggle-item").Select(e => e.TextContent.Trim()));
        cut.FindAll(".mud-toggle-item").Single(e => e.TextContent.Trim() == "6h").Click();

        Assert.Equal(ChartWindow.SixHours, chosen);
    }
}
