using System.Globalization;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.Parsing;

namespace DynoDashboard.Core.Tests.Analysis;

public sealed class AlertRuleTests
{
    [Theory]
    [InlineData("memory_swap > 50 for 5m", AlertRuleKind.Threshold)]
    [InlineData("memory_swap > 50 MB for 5m", AlertRuleKind.Threshold)]
    [InlineData("p95_service_ms >= 2000", AlertRuleKind.Threshold)]
    [InlineData("5 or more H12 on one dyno in 5m", AlertRuleKind.Pattern)]
    [InlineData("5 or more h12 in 5m", AlertRuleKind.Pattern)]
    [InlineData("no samples for 2m", AlertRuleKind.Absence)]
    [InlineData("no data for 10m", AlertRuleKind.Absence)]
    [InlineData("outlier", AlertRuleKind.Outlier)]
    public void Parse_ShortForms(string text, AlertRuleKind kind)
    {
        var rule = AlertRule.Parse("r", text, out var error);

        Assert.Null(error);
        Assert.Equal(kind, rule!.Kind);
    }

    [Fact]
    public void Parse_Threshold_ReadsMetricOperatorValueAndDuration()
    {
        var rule = AlertRule.Parse("swap", "memory_swap > 50 MB for 5m", out _)!;

        Assert.Equal("memory_swap", rule.Metric);
        Assert.Equal(">", rule.Operator);
        Assert.Equal(50, rule.Threshold);
        Assert.Equal(TimeSpan.FromMinutes(5), rule.For);
    }

    [Theory]
    [InlineData("memory_swop > 50")]
    [InlineData("swap is high")]
    [InlineData("0 or more H12 in 5m")]
    public void Parse_Nonsense_SaysWhatIsWrong(string text)
    {
        Assert.Null(AlertRule.Parse("r", text, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void AppliesToDyno_ScopeIsADynoOrAProcessType()
    {
        var web = new AlertRule { Name = "r", Kind = AlertRuleKind.Outlier, Scope = "web" };

        Assert.True(web.AppliesToDyno(new Model.DynoName("web.2")));
        Assert.False(web.AppliesToDyno(new Model.DynoName("worker.1")));
        Assert.True((web with { Scope = "worker.1" }).AppliesToDyno(new Model.DynoName("worker.1")));
    }
}

/// <summary>Rules against the real parser feeding the real live store.</summary>
public sealed class AlertEngineTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly LiveStore _store = new(new LiveStoreOptions());
    private readonly HerokuLogParser _parser = new();
    private readonly InsightBoard _board = new();
    private readonly AlertEngine _engine = new();

    [Fact]
    public void Threshold_FiresOnlyAfterHoldingForItsDuration_ThenResolves()
    {
        var rule = AlertRule.Parse("swap", "memory_swap > 50 for 5m", out _)!;

        Ingest(Runtime(s_t0, "web.2", swapMb: 80));
        var first = _engine.Evaluate([rule], _store, _board, s_t0);
        Ingest(Runtime(s_t0.AddMinutes(4), "web.2", swapMb: 90));
        var notYet = _engine.Evaluate([rule], _store, _board, s_t0.AddMinutes(4));
        Ingest(Runtime(s_t0.AddMinutes(5), "web.2", swapMb: 95));
        var firing = _engine.Evaluate([rule], _store, _board, s_t0.AddMinutes(5));
        Ingest(Runtime(s_t0.AddMinutes(6), "web.2", swapMb: 0));
        var resolved = _engine.Evaluate([rule], _store, _board, s_t0.AddMinutes(6));

        Assert.Empty(first);
        Assert.Empty(notYet);
        var fire = Assert.Single(firing);
        Assert.Equal(AlertState.Firing, fire.State);
        Assert.Equal("web.2", fire.Dyno);
        Assert.Equal(95, fire.Value);
        Assert.True(fire.Notify);
        Assert.Equal(AlertState.Resolved, Assert.Single(resolved).State);
    }

    [Fact]
    public void Pattern_FivePlusH12OnOneDyno_Fires()
    {
        var rule = AlertRule.Parse("h12", "5 or more H12 in 5m", out _)!;
        var lines = Enumerable.Range(0, 5).Select(i => H12(s_t0.AddSeconds(i * 10), "web.2")).Append(H12(s_t0, "web.1")).ToArray();

        Ingest(lines);
        var transitions = _engine.Evaluate([rule], _store, _board, s_t0.AddMinutes(1));

        var fire = Assert.Single(transitions);
        Assert.Equal("web.2", fire.Dyno);
        Assert.Equal(5, fire.Value);
    }

    [Fact]
    public void Absence_DynoUpButSilent_Fires_AndAppWithoutDataOnTheWallClock_Fires()
    {
        var silent = AlertRule.Parse("silent", "no samples for 2m", out _)!;
        var noData = AlertRule.Parse("no data", "no data for 10m", out _)!;
        Ingest(Runtime(s_t0, "web.1", 0), Runtime(s_t0, "web.2", 0), Runtime(s_t0.AddMinutes(3), "web.1", 0));

        var transitions = _engine.Evaluate([silent, noData], _store, _board, wallNow: s_t0.AddMinutes(14));

        Assert.Contains(transitions, t => t.Rule == "silent" && t.Dyno == "web.2" && t.State == AlertState.Firing);
        Assert.DoesNotContain(transitions, t => t.Rule == "silent" && t.Dyno == "web.1");
        Assert.Contains(transitions, t => t.Rule == "no data" && t.Dyno is null && t.State == AlertState.Firing);
    }

    [Fact]
    public void Cooldown_AFlappingRuleNotifiesOnce()
    {
        var rule = AlertRule.Parse("swap", "memory_swap > 50", out _)! with { Cooldown = TimeSpan.FromMinutes(30) };

        Ingest(Runtime(s_t0, "web.2", swapMb: 80));
        var first = _engine.Evaluate([rule], _store, _board, s_t0);
        Ingest(Runtime(s_t0.AddMinutes(1), "web.2", swapMb: 0));
        _engine.Evaluate([rule], _store, _board, s_t0.AddMinutes(1));
        Ingest(Runtime(s_t0.AddMinutes(2), "web.2", swapMb: 80));
        var again = _engine.Evaluate([rule], _store, _board, s_t0.AddMinutes(2));

        Assert.True(Assert.Single(first).Notify);
        var refire = Assert.Single(again);
        Assert.Equal(AlertState.Firing, refire.State);
        Assert.False(refire.Notify);
    }

    [Fact]
    public void RestartRule_AsksForARestartOfThatDyno()
    {
        var rule = AlertRule.Parse("swap", "memory_swap > 50", out _)! with { RestartDyno = true };
        Ingest(Runtime(s_t0, "web.2", swapMb: 80));

        var fire = Assert.Single(_engine.Evaluate([rule], _store, _board, s_t0));

        Assert.True(fire.RestartDyno);
    }

    private void Ingest(params string[] syslogMessages)
    {
        var sink = _store.GetWriter("myapp");
        _parser.ParseLogplexBody(LogplexBody.Of(syslogMessages), ref sink);
    }

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    private static string Runtime(DateTimeOffset t, string dyno, double swapMb) => LogplexBody.Syslog("heroku", dyno,
        string.Create(CultureInfo.InvariantCulture,
            $"source={dyno} dyno=heroku.1.abc sample#memory_total=400.00MB sample#memory_rss=300.00MB sample#memory_cache=10.00MB sample#memory_swap={swapMb:0.00}MB sample#memory_pgpgin=1pages sample#memory_pgpgout=1pages sample#memory_quota=512.00MB"),
        Time(t), 134);

    private static string H12(DateTimeOffset t, string dyno) => LogplexBody.Syslog("heroku", "router",
        $"at=error code=H12 desc=\"Request timeout\" method=GET path=\"/\" host=a.herokuapp.com request_id=1 fwd=\"1.1.1.1\" dyno={dyno} connect=1ms service=30000ms status=503 bytes=0 protocol=https",
        Time(t), 158);
}
