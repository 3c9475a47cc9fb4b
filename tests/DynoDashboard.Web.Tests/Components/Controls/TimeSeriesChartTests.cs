using Bunit;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Components.Controls;

namespace DynoDashboard.Web.Tests.Components.Controls;

public sealed class TimeSeriesChartTests : DashboardTestContext
{
    private IReadOnlyList<ChartLine> SwapLines(params string[] dynos) =>
        [.. dynos.Select(d => new ChartLine(d, Store.GetSeries("shop", new DynoName(d), RuntimeMetric.MemorySwap, T0.AddHours(-1), T0.AddHours(1)) ?? []))];

    private IRenderedComponent<TimeSeriesChart> RenderSwap(IReadOnlyList<ChartLine> lines) =>
        Render<TimeSeriesChart>(p => p
            .Add(c => c.Title, "Swap")
            .Add(c => c.Unit, "MB")
            .Add(c => c.Lines, lines)
            .Add(c => c.From, T0)
            .Add(c => c.To, T0.AddMinutes(10)));

    [Fact]
    public void Render_FirstRender_ImportsMeasuresAndInitializesOnce()
    {
        IngestFleet();

        RenderSwap(SwapLines("web.1", "web.2"));

        Assert.Equal(["plotWidth", "initializeChart"], ChartModule.Invocations.Select(i => i.Identifier));
        var (config, series) = (Calls("initializeChart")[0][0], Calls("initializeChart")[0][1]);
        Assert.Equal("line", config.GetProperty("kind").GetString());
        Assert.Equal(T0.ToUnixTimeMilliseconds(), config.GetProperty("xMin").GetInt64());
        Assert.Equal([("web.1", 30), ("web.2", 30)], SeriesOf(series));
    }

    [Fact]
    public void Render_ManyPoints_NoSeriesLongerThanThePlotIsWide()
    {
        var body = new LogplexBody();
        for (var i = 0; i < 2_000; i++)
        {
            body.Runtime(T0.AddSeconds(i * 0.3), "web.1", 0.5, 300, i % 97);
        }

        Ingest("shop", body);

        RenderSwap(SwapLines("web.1"));

        var points = SeriesOf(Calls("initializeChart")[0][1]).Single().Points;
        Assert.InRange(points, PlotWidth / 2, PlotWidth);
    }

    [Fact]
    public void SetParameters_NewSample_UpdateChartWithTheNewPointOnly()
    {
        IngestFleet();
        var cut = RenderSwap(SwapLines("web.1", "web.2"));

        Ingest("shop", new LogplexBody().Runtime(T0.AddMinutes(10), "web.2", 2, 500, 99));
        cut.Render(p => p.Add(c => c.Lines, SwapLines("web.1", "web.2")).Add(c => c.To, T0.AddMinutes(10)));

        Assert.Single(ChartModule.Invocations["initializeChart"]);
        var update = Assert.Single(Calls("updateChart"));
        Assert.Equal([("web.1", 30), ("web.2", 31)], SeriesOf(update[0]));
        Assert.Equal(T0.AddMinutes(10).ToUnixTimeMilliseconds(), update[2].GetInt64());
        Assert.Equal([T0.AddMinutes(10).ToUnixTimeMilliseconds(), 99], update[0][1].GetProperty("data")[30].EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void SetParameters_SameData_NothingSent()
    {
        IngestFleet();
        var cut = RenderSwap(SwapLines("web.1"));

        cut.Render(p => p.Add(c => c.Lines, SwapLines("web.1")));

        Assert.Empty(ChartModule.Invocations["updateChart"]);
    }

    [Fact]
    public void SetParameters_NewDyno_ChartRecreated()
    {
        IngestFleet();
        var cut = RenderSwap(SwapLines("web.1"));

        cut.Render(p => p.Add(c => c.Lines, SwapLines("web.1", "web.2")));

        Assert.Equal(2, ChartModule.Invocations["initializeChart"].Count);
        Assert.Equal(["web.1", "web.2"], SeriesOf(Calls("initializeChart")[1][1]).Select(s => s.Name));
    }

    [Fact]
    public void Render_Always_CaptionSaysItInWords()
    {
        IngestFleet();

        var cut = RenderSwap(SwapLines("web.1", "web.2"));

        Assert.Equal("Swap, last 10 min. web.1: 0 MB now, max 0; web.2: 58 MB now, max 58.",
            cut.Find("figcaption").TextContent);
    }

    [Fact]
    public async Task Dispose_AfterRender_DisposesTheChart()
    {
        IngestFleet();
        var cut = RenderSwap(SwapLines("web.1"));

        await cut.Instance.DisposeAsync();

        Assert.Single(ChartModule.Invocations["disposeChart"]);
    }
}
