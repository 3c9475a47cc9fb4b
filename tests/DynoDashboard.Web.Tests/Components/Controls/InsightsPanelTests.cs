using Bunit;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Web.Components.Controls;
using DynoDashboard.Web.Tests.Infrastructure;

namespace DynoDashboard.Web.Tests.Components.Controls;

public sealed class InsightsPanelTests : DashboardTestContext
{
    private IRenderedComponent<InsightsPanel> RenderShop() => Render<InsightsPanel>(p => p.Add(c => c.App, "shop"));

    /// <summary>Scores the store's real signals as the evaluator does, at two data times 3 min apart (the persistence).</summary>
    private void EvaluateBoard(string app = "shop")
    {
        var (now, dynos) = DynoSignals.Read(Store, app, TimeSpan.FromMinutes(5))!.Value;
        Board.Evaluate(app, now - Board.Persistence, dynos);
        Board.Evaluate(app, now, dynos);
    }

    [Fact]
    public void Render_Web2Outlier_ShowsInsightWithEachSignalAgainstTheSiblingMedian()
    {
        IngestFleet();
        EvaluateBoard();

        var cut = RenderShop();

        var insight = Assert.Single(cut.FindAll(".insight--outlier"));
        Assert.Equal("web.2", insight.GetAttribute("data-dyno"));
        Assert.Contains("web.2 served 37 % of requests but had 100 % of the H12s", insight.QuerySelector(".insight-summary")!.TextContent, StringComparison.Ordinal);
        var signals = insight.QuerySelectorAll(".insight-signal").Select(e => e.TextContent).ToList();
        Assert.True(signals.Count >= InsightBoard.MinSignals);
        Assert.All(signals, s => Assert.Contains("(sibling median ", s, StringComparison.Ordinal));
        Assert.Contains(signals, s => s.StartsWith("swap: 58 (sibling median 0)", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Web2Swapping_ShowsMemoryInsightSinceItStarted()
    {
        IngestFleet();

        var cut = RenderShop();

        var memory = Assert.Single(cut.FindAll(".insight--memory"));
        Assert.Equal("web.2", memory.GetAttribute("data-dyno"));
        Assert.Contains("web.2 swapping since 10:00 UTC", memory.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BoardEvaluatedAfterRender_OutlierAppearsLive()
    {
        var cut = RenderShop();
        Assert.NotNull(cut.Find(".no-insights"));

        IngestFleet();
        EvaluateBoard();
        Feed.Publish("shop");

        cut.WaitForAssertion(() => Assert.Equal("web.2", cut.Find(".insight--outlier").GetAttribute("data-dyno")));
    }

    [Fact]
    public void Render_DynoStopsSendingSamplesWhileUp_ShownAsSilent()
    {
        var body = new LogplexBody();
        for (var s = 0; s < 600; s += 20)
        {
            var time = T0.AddSeconds(s);
            body.Runtime(time, "web.1", 0.4, 300, 0).Runtime(time, "web.2", 0.4, 300, 0);
            if (s < 120)
            {
                body.Runtime(time, "web.3", 0.4, 300, 0);
            }
        }

        Ingest("shop", body);

        var cut = RenderShop();
        var drain = Render<DrainHealthPanel>(p => p.Add(c => c.App, "shop"));

        var silent = Assert.Single(cut.FindAll(".insight--silent"));
        Assert.Equal("web.3", silent.GetAttribute("data-dyno"));
        Assert.Contains("no runtime sample since 10:01:40", silent.TextContent, StringComparison.Ordinal);
        Assert.Equal(["web.3"], drain.FindAll("tr.drain-dyno--silent").Select(r => r.GetAttribute("data-dyno")));
        Assert.Contains("1 silent", drain.Find(".drain-health-summary").TextContent, StringComparison.Ordinal);
    }
}
