using Bunit;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Web.Components.Pages;

namespace DynoDashboard.Web.Tests.Components.Pages;

public sealed class ErrorsTests : DashboardTestContext
{
    private IRenderedComponent<Errors> RenderErrors() => Render<Errors>(p => p.Add(c => c.App, "shop"));

    /// <summary>The fleet's ten H12s on web.2, plus two R14s on web.1 and one app-wide L10 from logplex.</summary>
    private void IngestFleetWithErrors()
    {
        IngestFleet();
        Ingest("shop", new LogplexBody()
            .Add(134, T0.AddMinutes(2), "heroku", "web.1", "Error R14 (Memory quota exceeded)")
            .Add(134, T0.AddMinutes(3), "heroku", "web.1", "Error R14 (Memory quota exceeded)")
            .Add(172, T0.AddMinutes(4), "heroku", "logplex", $"Error L10 (output buffer overflow): 500 messages dropped since {TestTime.Syslog(T0)}."));
    }

    private static Dictionary<(string Dyno, string Code), string> Matrix(IRenderedComponent<Errors> cut) =>
        cut.FindAll(".error-matrix tr.error-row")
            .SelectMany(r => r.QuerySelectorAll("td.error-cell")
                .Where(c => c.TextContent.Trim().Length > 0)
                .Select(c => (Key: (r.GetAttribute("data-dyno")!, c.GetAttribute("data-code")!), Value: c.TextContent.Trim())))
            .ToDictionary(x => x.Key, x => x.Value);

    [Fact]
    public void Render_FleetWithErrors_CountPerDynoAndCode()
    {
        IngestFleetWithErrors();

        var cut = RenderErrors();

        Assert.Equal(["H12", "R14", "L10"], cut.FindAll(".error-matrix th.error-code").Select(h => h.TextContent));
        Assert.Equal(
            new Dictionary<(string, string), string> { [("web.2", "H12")] = "10", [("web.1", "R14")] = "2", [(Errors.AppWide, "L10")] = "1" },
            Matrix(cut));
        Assert.Equal(["web.2", "web.1", Errors.AppWide], cut.FindAll("tr.error-row").Select(r => r.GetAttribute("data-dyno")));
        Assert.Equal(["10", "2", "1"], cut.FindAll("td.error-total").Select(c => c.TextContent));
    }

    [Fact]
    public void Render_FleetWithErrors_CellsOpenTheFilteredLogs()
    {
        IngestFleetWithErrors();

        var cut = RenderErrors();

        var web2 = cut.Find("tr.error-row[data-dyno='web.2'] td.error-cell[data-code='H12'] a");
        Assert.Equal("apps/shop/logs?q=dyno%3Aweb.2%20code%3AH12", web2.GetAttribute("href"));
        var app = cut.Find($"tr.error-row[data-dyno='{Errors.AppWide}'] td.error-cell[data-code='L10'] a");
        Assert.Equal("apps/shop/logs?q=code%3AL10", app.GetAttribute("href"));
    }

    [Fact]
    public void Render_FleetWithErrors_TotalsPerFamilyAndMeanings()
    {
        IngestFleetWithErrors();

        var cut = RenderErrors();

        Assert.Contains(": 10", cut.Find(".error-family[data-family='H']").TextContent, StringComparison.Ordinal);
        Assert.Contains(": 2", cut.Find(".error-family[data-family='R']").TextContent, StringComparison.Ordinal);
        Assert.Contains(": 1", cut.Find(".error-family[data-family='L']").TextContent, StringComparison.Ordinal);
        Assert.Contains(ErrorCatalog.H12.Meaning, cut.Find("tr.error-meaning[data-code='H12']").TextContent, StringComparison.Ordinal);
        Assert.Contains(ErrorCatalog.R14.Meaning, cut.Find("tr.error-meaning[data-code='R14']").TextContent, StringComparison.Ordinal);
        Assert.Equal(ErrorCatalog.H12.Title, cut.Find("th.error-code").GetAttribute("title"));
    }

    [Fact]
    public void Render_FleetWithErrors_ChartLinePerDynoSummingToTheCounts()
    {
        IngestFleetWithErrors();

        RenderErrors();

        var series = Calls("initializeChart").Single()[1];
        Assert.Equal(["web.2", "web.1", Errors.AppWide], SeriesOf(series).Select(s => s.Name));
        var sums = series.EnumerateArray()
            .Select(s => s.GetProperty("data").EnumerateArray().Sum(p => p[1].GetDouble()))
            .ToList();
        Assert.Equal([10, 2, 1], sums);
    }

    [Fact]
    public void Render_ReleaseInWindow_MarkedOnTheChart()
    {
        IngestFleetWithErrors();
        Ingest("shop", new LogplexBody().Add(134, T0.AddMinutes(5), "app", "api", "Release v42 created by ops@example.com"));

        RenderErrors();

        var markers = Calls("initializeChart").Single()[0].GetProperty("markers");
        Assert.Equal("release", Assert.Single(markers.EnumerateArray()).GetProperty("label").GetString());
    }

    [Fact]
    public void NewError_AfterRender_MatrixUpdated()
    {
        IngestFleetWithErrors();
        var cut = RenderErrors();

        Ingest("shop", new LogplexBody().Router(T0.AddMinutes(10), "web.3", status: 503, serviceMs: 30_000, code: "H12", desc: "Request timeout"));

        cut.WaitForAssertion(() => Assert.Equal("1", Matrix(cut)[("web.3", "H12")]));
        Assert.Contains(": 11", cut.Find(".error-family[data-family='H']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoErrors_SaysSo()
    {
        Ingest("shop", new LogplexBody().Router(T0, "web.1"));

        var cut = RenderErrors();

        Assert.NotNull(cut.Find(".errors-empty"));
        Assert.Empty(cut.FindAll(".error-matrix"));
    }
}
