using Bunit;
using DynoDashboard.Web.Components.Controls;

namespace DynoDashboard.Web.Tests.Components.Controls;

public sealed class MemoryBarTests : DashboardTestContext
{
    [Fact]
    public void Render_UnderQuota_WidthsAgainstQuotaAndText()
    {
        var cut = Render<MemoryBar>(p => p.Add(c => c.Rss, 256).Add(c => c.Swap, 0).Add(c => c.Quota, 512));

        Assert.Equal("width:50%", cut.Find(".memory-bar__rss").GetAttribute("style"));
        Assert.Equal("left:100%", cut.Find(".memory-bar__quota").GetAttribute("style"));
        Assert.Equal("256 + 0 swap / 512 MB", cut.Find(".memory-bar__text").TextContent);
    }

    [Fact]
    public void Render_PastQuota_TrackStretchesAndQuotaMarkMovesIn()
    {
        var cut = Render<MemoryBar>(p => p.Add(c => c.Rss, 500).Add(c => c.Swap, 140).Add(c => c.Quota, 512));

        Assert.Equal("width:21.9%", cut.Find(".memory-bar__swap").GetAttribute("style"));
        Assert.Equal("left:80%", cut.Find(".memory-bar__quota").GetAttribute("style"));
        Assert.Equal("640", cut.Find(".memory-bar").GetAttribute("aria-valuenow"));
    }
}
