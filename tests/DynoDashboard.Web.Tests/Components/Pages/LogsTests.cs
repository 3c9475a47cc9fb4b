using System.Globalization;
using Bunit;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Query;
using DynoDashboard.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Components.Pages;

public sealed class LogsTests : DashboardTestContext
{
    // IngestFleet: 30 rounds of 8 runtime lines (4 dynos × load + memory), 6 router lines, plus 10 H12s.
    private const int FleetLines = 30 * 8 + 30 * 6 + 10;

    private IRenderedComponent<Logs> RenderLogs(string? q = null)
    {
        if (q is not null)
        {
            var navigation = Services.GetRequiredService<NavigationManager>();
            navigation.NavigateTo(navigation.GetUriWithQueryParameter("q", q));
        }

        return Render<Logs>(p => p.Add(c => c.App, "shop"));
    }

    private static void Search(IRenderedComponent<Logs> cut, string query)
    {
        cut.Find(".log-search input").Input(query);
        cut.Find("form.log-search-form").Submit();
    }

    [Fact]
    public void Render_QueryFromAddress_OnlyMatchingRowsNewestFirst()
    {
        IngestFleet();

        var cut = RenderLogs("dyno:web.2 code:H12");

        var rows = cut.FindAll(".log-table tr.log-row");
        Assert.Equal(10, rows.Count);
        Assert.All(rows, r => Assert.Equal("web.2", r.Children[2].TextContent));
        Assert.All(rows, r => Assert.Equal("router", r.Children[3].TextContent));
        var times = rows.Select(r => r.Children[0].TextContent).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        Assert.Contains($"10 of {FleetLines} lines match", cut.Find(".log-summary").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_LineOlderThanTheLiveBuffer_FoundInHistoryAndCounted() => WithHistory(HistoryBudgets.Shared(1_000), history =>
    {
        WriteToHistoryOnly(history, new LogplexBody().Add(190, T0.AddMinutes(-5), "app", "web.1", "level=error msg=\"payment declined\" order_id=42"));
        IngestFleet();

        var cut = RenderLogs("payment OR (dyno:web.2 code:H12)");

        var rows = cut.FindAll(".log-table tr.log-row");
        Assert.Equal(11, rows.Count);
        Assert.Contains("payment declined", rows[^1].TextContent, StringComparison.Ordinal);
        Assert.Contains($"11 of {FleetLines + 1} lines match", cut.Find(".log-summary").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".log-not-kept")); // history reached, but nothing of the window was deleted
    });

    [Fact]
    public void Search_WindowReachesPastTheAppsLineCap_NoticeSaysLinesBeforeWhenAreNoLongerKept() =>
        WithHistory(new HistoryBudgets { MaxLogLinesPerApp = 10, MaxLogLines = 1_000 }, history =>
        {
            // 40 app lines a second apart, 20 minutes before the fleet's data: the cap of 10 deletes the oldest 30.
            var old = new LogplexBody();
            var start = T0.AddMinutes(-20);
            for (var i = 0; i < 40; i++)
            {
                old.Add(190, start.AddSeconds(i), "app", "web.1", string.Create(CultureInfo.InvariantCulture, $"level=info msg=budgetline n={i}"));
            }

            WriteToHistoryOnly(history, old);
            IngestFleet();

            var cut = RenderLogs("budgetline");

            Assert.Equal(10, cut.FindAll(".log-table tr.log-row").Count);
            var notice = cut.Find(".log-not-kept").TextContent;
            var keptFrom = start.AddSeconds(29).AddTicks(1).UtcDateTime;
            Assert.Contains(keptFrom.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), notice, StringComparison.Ordinal);
            Assert.Contains("Storage:MaxLogLinesPerApp", notice, StringComparison.Ordinal);
        });

    [Fact]
    public void Render_LiveBufferSeededAfterARestart_NoticeOnTheSearchButNotOnTheLiveTail() => WithHistory(HistoryBudgets.Shared(1_000), _ =>
    {
        Store.SeedLine("shop", new DynoDashboard.Core.Model.LogLine(T0.AddMinutes(-1), "app", "web.1", null,
            DynoDashboard.Core.Model.LineKind.App, "seeded after a restart"));
        IngestFleet();

        var cut = RenderLogs();
        Assert.Contains("Router and runtime lines before", cut.Find(".log-not-kept").TextContent, StringComparison.Ordinal);

        cut.Find(".log-tail-toggle input").Change(true);

        Assert.Empty(cut.FindAll(".log-not-kept")); // the tail says it keeps the newest lines; no window to reach past
    });

    /// <summary>Runs <paramref name="test"/> with a history file behind the page's search, deleted afterwards.</summary>
    private void WithHistory(HistoryBudgets budgets, Action<LiteDbHistoryStore> test)
    {
        var folder = DashboardFactory.NewDataFolder();
        try
        {
            using var history = new LiteDbHistoryStore(Path.Combine(folder, "history.db"), budgets);
            Services.AddSingleton<ILogLineSource>(new HistoryLogLineSource(Store, history));
            test(history);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Parsed as ingestion does, but into history only: what is left once the live buffer has dropped the lines.</summary>
    private static void WriteToHistoryOnly(LiteDbHistoryStore history, LogplexBody body)
    {
        var tee = new HistoryTee().Begin("shop", new LiveStore(new LiveStoreOptions()).GetWriter("shop"));
        new HerokuLogParser().ParseLogplexBody(body.ToBytes(), ref tee);
        history.Write([tee.End()]);
    }

    [Fact]
    public void AddColumn_StatusThenCode_ColumnsInChosenOrderWithValues()
    {
        IngestFleet();
        var cut = RenderLogs("code:H12");

        cut.Find("select.log-column-add").Change("status");
        cut.Find("select.log-column-add").Change("code");

        Assert.Equal(["status", "code"], cut.FindAll("th.log-key-column").Select(h => h.TextContent));
        var first = cut.FindAll(".log-table tr.log-row")[0];
        Assert.Equal("503", first.Children[4].TextContent);
        Assert.Equal("H12", first.Children[5].TextContent);
    }

    [Fact]
    public void MoveColumnLeft_SecondColumn_BecomesFirst()
    {
        IngestFleet();
        var cut = RenderLogs("code:H12");
        cut.Find("select.log-column-add").Change("status");
        cut.Find("select.log-column-add").Change("service");

        cut.FindAll(".log-column")[1].QuerySelector(".log-column-left")!.Click();

        Assert.Equal(["service", "status"], cut.FindAll("th.log-key-column").Select(h => h.TextContent));
        Assert.Equal("30000ms", cut.FindAll(".log-table tr.log-row")[0].Children[4].TextContent);
    }

    [Fact]
    public void ColumnPicker_FleetData_OffersKeysSeenInTheData()
    {
        IngestFleet();

        var cut = RenderLogs();

        var offered = cut.FindAll("select.log-column-add option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains("status", offered);
        Assert.Contains("sample#memory_swap", offered);
        Assert.Contains("code", offered);
        Assert.DoesNotContain("made_up_key", offered);
    }

    [Fact]
    public void Search_SyntaxError_ShownInlineWithPositionAndRowsKept()
    {
        IngestFleet();
        var cut = RenderLogs("code:H12");
        const string bad = "dyno:web.2 AND (status>=500";
        var expected = LogQuery.Parse(bad).Error!;

        Search(cut, bad);

        var error = cut.Find(".log-query-error");
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"position {expected.Position}: {expected.Message}"),
            error.TextContent, StringComparison.Ordinal);
        var caret = cut.Find(".log-query-mark").TextContent;
        Assert.Equal(expected.Position, caret.IndexOf('^', StringComparison.Ordinal));
        Assert.Equal(10, cut.FindAll(".log-table tr.log-row").Count);
    }

    [Fact]
    public void Search_ValidAfterError_ErrorClearedAndRowsFiltered()
    {
        IngestFleet();
        var cut = RenderLogs();
        Search(cut, "status>=");

        Search(cut, "service>5000ms");

        Assert.Empty(cut.FindAll(".log-query-error"));
        Assert.Equal(10, cut.FindAll(".log-table tr.log-row").Count);
    }

    [Fact]
    public void Search_Valid_AddressCarriesTheQuery()
    {
        IngestFleet();
        var cut = RenderLogs();

        Search(cut, "dyno:web.2 code:H12");

        Assert.EndsWith("?q=dyno%3Aweb.2%20code%3AH12", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Older_FirstPage_SecondPageOfOlderLines()
    {
        IngestFleet();
        var cut = RenderLogs();
        var pages = (FleetLines + Logs.PageSize - 1) / Logs.PageSize;
        Assert.Equal($"Page 1 of {pages}", cut.Find(".log-page").TextContent);
        Assert.Equal(Logs.PageSize, cut.FindAll(".log-table tr.log-row").Count);
        var lastOfFirst = cut.FindAll(".log-table tr.log-row")[^1].Children[0].TextContent;

        cut.Find(".log-older").Click();

        Assert.Equal($"Page 2 of {pages}", cut.Find(".log-page").TextContent);
        var firstOfSecond = cut.FindAll(".log-table tr.log-row")[0].Children[0].TextContent;
        Assert.True(string.CompareOrdinal(firstOfSecond, lastOfFirst) <= 0, $"{firstOfSecond} is newer than {lastOfFirst}");
        Assert.False(cut.Find(".log-newer").HasAttribute("disabled"));
    }

    [Fact]
    public void GroupBy_DynoWithServiceValue_CountAverageAndP95PerDyno()
    {
        IngestFleet();
        var cut = RenderLogs("kind:router");

        cut.Find("select.log-group-by").Change("dyno");
        cut.Find("select.log-group-value").Change("service");

        var groups = cut.FindAll(".log-groups tr.log-group").Select(r => r.Children.Select(c => c.TextContent).ToArray()).ToList();
        // web.2: 60 requests at 20 ms and 10 H12s at 30 s; p95 is the 67th of 70, a 30-s one.
        Assert.Equal(["web.2", "70", "4302.9", "30000"], groups[0]);
        Assert.Contains(["web.1", "60", "20", "20"], groups);
        Assert.Contains(["web.3", "60", "20", "20"], groups);
        Assert.Equal(3, groups.Count);
        Assert.Contains("avg service (ms)", cut.Find(".log-groups thead").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupBy_CodeWithoutValue_CountsOnly()
    {
        IngestFleet();
        var cut = RenderLogs("dyno:web.2");

        cut.Find("select.log-group-by").Change("code");

        var groups = cut.FindAll(".log-groups tr.log-group").Select(r => r.Children.Select(c => c.TextContent).ToArray()).ToList();
        Assert.Equal([["(none)", "120"], ["H12", "10"]], groups);
    }

    [Fact]
    public void LiveTail_NewLineArrives_ShownFirstUntilPaused()
    {
        IngestFleet();
        var cut = RenderLogs("path=/tail");
        cut.Find(".log-tail-toggle input").Change(true);

        Ingest("shop", new LogplexBody().Router(T0.AddMinutes(11), "web.3", path: "/tail"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".log-table tr.log-row")));

        cut.Find(".log-tail-pause").Click();
        var renders = cut.RenderCount;
        Ingest("shop", new LogplexBody().Router(T0.AddMinutes(12), "web.1", path: "/tail"));
        cut.WaitForState(() => cut.RenderCount > renders);
        Assert.Single(cut.FindAll(".log-table tr.log-row"));

        cut.Find(".log-tail-pause").Click();
        // Resuming re-reads the store; a feed callback may render in between, so wait for the settled table.
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(2, cut.FindAll(".log-table tr.log-row").Count);
            Assert.Equal("web.1", cut.FindAll(".log-table tr.log-row")[0].Children[2].TextContent);
        });
    }

    [Fact]
    public void LiveTail_MoreThanTheLimit_KeepsOnlyTheNewest()
    {
        var body = new LogplexBody();
        for (var i = 0; i < Logs.TailLimit + 20; i++)
        {
            body.Router(T0.AddSeconds(i), "web.1");
        }

        Ingest("shop", body);
        var cut = RenderLogs();

        cut.Find(".log-tail-toggle input").Change(true);

        Assert.Contains($"the newest {Logs.TailLimit} are listed", cut.Find(".log-summary").TextContent, StringComparison.Ordinal);
        Assert.Equal($"Page 1 of {Logs.TailLimit / Logs.PageSize}", cut.Find(".log-page").TextContent);
    }

    [Fact]
    public void ExportLinks_CurrentQuery_PointAtTheLogsApi()
    {
        IngestFleet();
        var cut = RenderLogs("code:H12");

        var csv = cut.Find("a.log-export-csv").GetAttribute("href")!;
        var json = cut.Find("a.log-export-json").GetAttribute("href")!;

        Assert.StartsWith("api/apps/shop/logs?format=csv&", csv, StringComparison.Ordinal);
        Assert.Contains("q=code%3AH12", csv, StringComparison.Ordinal);
        Assert.Contains("&from=", csv, StringComparison.Ordinal);
        Assert.StartsWith("api/apps/shop/logs?format=json&", json, StringComparison.Ordinal);
        Assert.True(cut.Find("a.log-export-csv").HasAttribute("download"));
    }
}
