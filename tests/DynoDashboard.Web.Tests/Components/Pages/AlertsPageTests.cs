using Bunit;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.History;
using DynoDashboard.Web.Alerts;
using DynoDashboard.Web.Components.Pages;
using DynoDashboard.Web.Heroku;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Tests.Components.Pages;

public sealed class AlertsPageTests : DashboardTestContext
{
    public AlertsPageTests()
    {
        var options = Options.Create(new AlertOptions { Rules = [new ConfiguredRule { Name = "swap", Rule = "memory_swap > 50 for 5m" }] });
        Services.AddSingleton(options);
        Services.AddSingleton<AlertRuleBook>();
        Services.AddSingleton<AlertHistory>();
        Services.AddSingleton(_ => new AlertNotifier(new HttpClient(), options, TimeProvider.System, NullLogger<AlertNotifier>.Instance));
        Services.AddSingleton(sp => new AlertService(sp.GetRequiredService<AlertRuleBook>(), Store, Board,
            sp.GetRequiredService<AlertHistory>(), sp.GetRequiredService<AlertNotifier>(), sp.GetRequiredService<DynoRestarter>(),
            TimeProvider.System, NullLogger<AlertService>.Instance));
    }

    private AlertRuleBook Book => Services.GetRequiredService<AlertRuleBook>();

    private static void Fill(IRenderedComponent<AlertsPage> cut, string name, string rule)
    {
        cut.Find(".rule-name input").Input(name);
        cut.Find(".rule-text input").Input(rule);
    }

    [Fact]
    public void Render_ConfiguredRule_ListedReadOnly()
    {
        var cut = Render<AlertsPage>();

        var row = cut.Find("tr.alert-rule[data-rule=swap]");
        Assert.Equal("memory_swap > 50 for 5m", row.QuerySelector(".alert-rule-text")!.TextContent);
        Assert.Contains("from configuration", row.TextContent, StringComparison.Ordinal);
        Assert.Null(row.QuerySelector(".delete-rule"));
        Assert.Null(row.QuerySelector(".edit-rule"));
    }

    [Fact]
    public void AddRule_ShortForm_ListedAndInForce()
    {
        var cut = Render<AlertsPage>();

        Fill(cut, "h12", "5 or more H12 in 5m");
        cut.Find(".rule-scope input").Change("web");
        cut.Find(".save-rule").Click();

        var row = cut.Find("tr.alert-rule[data-rule=h12]");
        Assert.Equal("5 or more H12 in 5m", row.QuerySelector(".alert-rule-text")!.TextContent);
        Assert.Contains("web", row.TextContent, StringComparison.Ordinal);
        var rule = Assert.Single(Book.All, r => r.Name == "h12");
        Assert.Equal((AlertRuleKind.Pattern, "H12", 5, "web"), (rule.Kind, rule.Code, rule.Count, rule.Scope));
        Assert.Empty(cut.FindAll(".rule-error"));
    }

    [Fact]
    public void AddRule_Unparseable_ShowsParseErrorInlineAndAddsNothing()
    {
        var cut = Render<AlertsPage>();

        Fill(cut, "bad", "swap is high");
        cut.Find(".save-rule").Click();

        Assert.Contains("Write a rule as 'memory_swap > 50 for 5m'", cut.Find(".rule-error").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("tr.alert-rule[data-rule=bad]"));
        Assert.DoesNotContain(Book.All, r => r.Name == "bad");
    }

    [Fact]
    public void AddRule_UnknownMetric_ShowsValidationErrorInline()
    {
        var cut = Render<AlertsPage>();

        Fill(cut, "typo", "memory_swop > 50 for 5m");
        cut.Find(".save-rule").Click();

        Assert.Contains("Metric 'memory_swop' is not one of", cut.Find(".rule-error").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void EditAndDelete_UserRule_ChangesThenRemovesIt()
    {
        Book.Save(AlertRule.Parse("quiet", "no samples for 2m", out _)!);
        var cut = Render<AlertsPage>();

        cut.Find("tr.alert-rule[data-rule=quiet] .edit-rule").Click();
        Assert.Equal("no samples for 2m", cut.Find(".rule-text input").GetAttribute("value"));
        cut.Find(".rule-text input").Input("no samples for 4m");
        cut.Find(".save-rule").Click();
        var edited = cut.Find("tr.alert-rule[data-rule=quiet] .alert-rule-text").TextContent;
        cut.Find("tr.alert-rule[data-rule=quiet] .delete-rule").Click();

        Assert.Equal("no samples for 4m", edited);
        Assert.Empty(cut.FindAll("tr.alert-rule[data-rule=quiet]"));
        Assert.DoesNotContain(Book.All, r => r.Name == "quiet");
    }

    [Fact]
    public async Task Render_RuleFiredOnRealData_ShowsFiringAndHistoryNewestFirst()
    {
        IngestFleet();
        Book.Save(AlertRule.Parse("swapping", "memory_swap > 50", out _)!);
        var service = Services.GetRequiredService<AlertService>();
        await service.EvaluateAsync(default);
        var history = Services.GetRequiredService<AlertHistory>();
        history.Add(new AlertTransition("swapping", "shop", "web.2", AlertState.Resolved, DateTimeOffset.UtcNow.AddMinutes(1), "back under 50", 10, true, false));

        var cut = Render<AlertsPage>();

        var firing = Assert.Single(cut.FindAll("tr.firing-alert"));
        Assert.Contains("web.2", firing.TextContent, StringComparison.Ordinal);
        var rows = cut.FindAll("tr.alert-transition");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Resolved", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Firing", rows[1].TextContent, StringComparison.Ordinal);
    }
}
