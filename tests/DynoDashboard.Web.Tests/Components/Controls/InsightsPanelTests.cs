using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Bunit;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Web.Components.Controls;
using MudBlazor;

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

    /// <summary>The icon's path data, from MudBlazor's icon constant or from a rendered svg (whose markup differs).</summary>
    private static string[] PathData(string icon) => Regex.Matches(icon, "d=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray();

    private static string[] PathData(IElement svg) => svg.QuerySelectorAll("path").Select(p => p.GetAttribute("d")!).ToArray();

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
    public void Render_Insights_AreMudAlertMarkupWithoutAComponentPerAlert()
    {
        IngestFleet();
        EvaluateBoard();

        var cut = RenderShop();

        // An outlier looks like MudAlert's Severity.Error, a memory trend like its Severity.Warning, each with its icon.
        var outlier = cut.Find(".insight--outlier");
        Assert.Equal(["mud-alert", "mud-alert-text-error", "mud-dense"], outlier.ClassList.Take(3));
        var memory = cut.Find(".insight--memory");
        Assert.Equal(["mud-alert", "mud-alert-text-warning", "mud-dense"], memory.ClassList.Take(3));
        Assert.Equal(PathData(Icons.Material.Filled.ErrorOutline), PathData(outlier.QuerySelector(".mud-alert-icon svg[aria-hidden='true']")!));
        Assert.Equal(PathData(Icons.Material.Outlined.ReportProblem), PathData(memory.QuerySelector(".mud-alert-icon svg[aria-hidden='true']")!));

        // The dyno's name links to its page, and the summary is in the alert's message.
        var link = outlier.QuerySelector(".mud-alert-message a.mud-link.insight-dyno")!;
        Assert.Equal("apps/shop/dynos/web.2", link.GetAttribute("href"));
        Assert.Equal("web.2", link.TextContent);
        Assert.StartsWith("web.2 served 37 % of requests", outlier.QuerySelector(".mud-alert-message .insight-summary")!.TextContent, StringComparison.Ordinal);

        Assert.Empty(cut.FindComponents<MudAlert>());
        Assert.Empty(cut.FindComponents<MudIcon>());
        Assert.Empty(cut.FindComponents<MudLink>());
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
        Assert.Contains("mud-alert-text-warning", silent.ClassList);
        Assert.Equal(PathData(Icons.Material.Outlined.ReportProblem), PathData(silent.QuerySelector(".mud-alert-icon svg")!));
        Assert.Equal("web.3", silent.QuerySelector(".mud-alert-message b")!.TextContent);
        Assert.Contains("no runtime sample since 10:01:40", silent.TextContent, StringComparison.Ordinal);
        Assert.Equal(["web.3"], drain.FindAll("tr.drain-dyno--silent").Select(r => r.GetAttribute("data-dyno")));
        Assert.Contains("1 silent", drain.Find(".drain-health-summary").TextContent, StringComparison.Ordinal);
    }
}
