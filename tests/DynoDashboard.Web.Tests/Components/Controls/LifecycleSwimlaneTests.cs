using Bunit;
using DynoDashboard.Web.Components.Controls;
using DynoDashboard.Web.Components.Pages;

namespace DynoDashboard.Web.Tests.Components.Controls;

public sealed class LifecycleSwimlaneTests : DashboardTestContext
{
    private const string First = "heroku.145151706.aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private const string Second = "heroku.145151706.ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee";

    /// <summary>web.1 runs minutes 0–4 as one incarnation, crashes (exit 137), restarts after a release as another.</summary>
    private void IngestRestart()
    {
        var body = new LogplexBody();
        for (var s = 0; s <= 600; s += 20)
        {
            body.Runtime(T0.AddSeconds(s), "web.1", 0.4, 300, 0, incarnation: s < 300 ? First : Second);
            body.Runtime(T0.AddSeconds(s), "web.2", 0.4, 300, 0);
        }

        body.Add(134, T0.AddSeconds(250), "heroku", "web.1", "Error R14 (Memory quota exceeded)")
            .Add(134, T0.AddSeconds(270), "heroku", "web.1", "Process exited with status 137")
            .Add(134, T0.AddSeconds(271), "heroku", "web.1", "State changed from up to crashed")
            .Add(134, T0.AddSeconds(280), "app", "api", "Release v42 created by ops@example.com")
            .Add(134, T0.AddSeconds(290), "heroku", "web.1", "Restarting")
            .Add(134, T0.AddSeconds(295), "heroku", "web.1", "State changed from crashed to up");
        Ingest("shop", body);
    }

    private IRenderedComponent<LifecycleSwimlane> RenderLane(string? dyno = null) =>
        Render<LifecycleSwimlane>(p => p.Add(c => c.App, "shop").Add(c => c.Dyno, dyno)
            .Add(c => c.From, T0).Add(c => c.To, T0.AddMinutes(10)));

    [Fact]
    public void Render_RestartedDyno_TwoIncarnationsOnTheTimeAxis()
    {
        IngestRestart();

        var cut = RenderLane();

        var bars = cut.FindAll(".swimlane__row[data-dyno='web.1'] .swimlane__incarnation");
        Assert.Equal([First, Second], bars.Select(b => b.GetAttribute("data-incarnation")));
        Assert.StartsWith("left:0%", bars[0].GetAttribute("style"), StringComparison.Ordinal);
        Assert.StartsWith("left:50%", bars[1].GetAttribute("style"), StringComparison.Ordinal);
        Assert.Single(cut.FindAll(".swimlane__row[data-dyno='web.2'] .swimlane__incarnation"));
    }

    [Fact]
    public void Render_RestartedDyno_LifecycleMarksInOrderWithErrorsFlagged()
    {
        IngestRestart();

        var cut = RenderLane();

        var marks = cut.FindAll(".swimlane__row[data-dyno='web.1'] .swimlane__mark");
        Assert.Equal(["R14", "exit 137", "crashed", "restart", "up"], marks.Select(m => m.GetAttribute("data-label")));
        Assert.Equal(["R14", "exit 137", "crashed"],
            cut.FindAll(".swimlane__row[data-dyno='web.1'] .swimlane__mark--error").Select(m => m.GetAttribute("data-label")));
        Assert.Contains("Process exited with status 137", marks[1].GetAttribute("title"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".swimlane__row[data-dyno='web.2'] .swimlane__mark"));
    }

    [Fact]
    public void Render_Release_MarkedOnTheDeployLaneAndAcrossEveryDyno()
    {
        IngestRestart();

        var cut = RenderLane();

        var release = cut.Find(".swimlane__row--app .swimlane__mark--release");
        Assert.StartsWith("left:46.67%", release.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal(2, cut.FindAll(".swimlane__deploy").Count);
    }

    [Fact]
    public void Render_OneDyno_OnlyItsLane()
    {
        IngestRestart();

        var cut = RenderLane("web.2");

        Assert.Equal(["web.2"], cut.FindAll(".swimlane__row[data-dyno]").Select(r => r.GetAttribute("data-dyno")));
    }

    [Fact]
    public void DynoPage_RestartedDyno_ShowsTheSwimlane()
    {
        IngestRestart();

        var cut = Render<DynoDetail>(p => p.Add(c => c.App, "shop").Add(c => c.Dyno, "web.1"));

        Assert.Equal(2, cut.FindAll(".lifecycle-swimlane .swimlane__incarnation").Count);
    }

    [Fact]
    public void FleetPage_NewIncarnationArrives_SwimlaneUpdated()
    {
        IngestRestart();
        var cut = Render<Fleet>(p => p.Add(c => c.App, "shop"));
        Assert.Equal(2, cut.FindAll(".lifecycle-swimlane .swimlane__row[data-dyno]").Count);

        Ingest("shop", new LogplexBody().Runtime(T0.AddSeconds(620), "web.2", 0.4, 300, 0, incarnation: Second));

        cut.WaitForAssertion(() =>
            Assert.Equal(2, cut.FindAll(".lifecycle-swimlane .swimlane__row[data-dyno='web.2'] .swimlane__incarnation").Count));
    }

    [Fact]
    public void Render_MoreDynosThanMaxLanes_CappedWithEventfulDynosFirst()
    {
        var body = new LogplexBody();
        for (var i = 1; i <= LifecycleSwimlane.MaxLanes + 5; i++)
        {
            body.Runtime(T0.AddSeconds(10), $"web.{i}", 0.4, 300, 0);
        }

        body.Add(134, T0.AddSeconds(60), "heroku", "web.23", "State changed from up to crashed");
        Ingest("shop", body);

        var cut = RenderLane();

        // web.1–web.19 in the usual order, and web.23 for its crash; web.20–22, 24 and 25 are left out.
        var lanes = cut.FindAll(".swimlane__row[data-dyno]").Select(r => r.GetAttribute("data-dyno")).ToList();
        Assert.Equal([.. Enumerable.Range(1, 19).Select(i => $"web.{i}"), "web.23"], lanes);
        Assert.Contains("20 of 25 dynos", cut.Find(".swimlane-cap").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowAll_CappedSwimlane_EveryLaneThenBackToTheCap()
    {
        var body = new LogplexBody();
        for (var i = 1; i <= LifecycleSwimlane.MaxLanes + 5; i++)
        {
            body.Runtime(T0.AddSeconds(10), $"web.{i}", 0.4, 300, 0);
        }

        Ingest("shop", body);
        var cut = RenderLane();

        cut.Find(".swimlane-show-all").Click();
        Assert.Equal(LifecycleSwimlane.MaxLanes + 5, cut.FindAll(".swimlane__row[data-dyno]").Count);
        Assert.Equal($"Show {LifecycleSwimlane.MaxLanes} lanes", cut.Find(".swimlane-show-all").TextContent.Trim());

        cut.Find(".swimlane-show-all").Click();
        Assert.Equal(LifecycleSwimlane.MaxLanes, cut.FindAll(".swimlane__row[data-dyno]").Count);
    }

    [Fact]
    public void Render_MaxLanesOrFewerDynos_NoCapNorButton()
    {
        IngestRestart();

        Assert.Empty(RenderLane().FindAll(".swimlane-cap"));
    }
}
