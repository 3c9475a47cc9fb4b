using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class HerokuLogParserEventTests
{
    private static (RecordingSink Sink, DrainParseResult Result) Parse(byte[] body)
    {
        var sink = new RecordingSink();
        var result = new HerokuLogParser().ParseLogplexBody(body, ref sink);
        return (sink, result);
    }

    [Fact]
    public void ParseLogplexBody_LifecycleFixture_EmitsOneEventPerKnownLine()
    {
        var (sink, result) = Parse(Fixture.Bytes("Logplex/dyno-lifecycle.logplex"));

        Assert.Equal(23, result.Frames);
        Assert.Equal(22, result.EventLines);
        Assert.Equal(1, result.AppLines);
        Assert.Equal(
            [
                DynoEventKind.Restarting, DynoEventKind.StateChanged, DynoEventKind.Stopping, DynoEventKind.Exited,
                DynoEventKind.Starting, DynoEventKind.Starting, DynoEventKind.StateChanged, DynoEventKind.Cycling,
                DynoEventKind.RuntimeError, DynoEventKind.Killed, DynoEventKind.Exited, DynoEventKind.StateChanged,
                DynoEventKind.MemoryUsage, DynoEventKind.RuntimeError, DynoEventKind.MemoryUsage, DynoEventKind.RuntimeError,
                DynoEventKind.RuntimeError, DynoEventKind.Killed, DynoEventKind.Exited, DynoEventKind.Hangup,
                DynoEventKind.StateChanged, DynoEventKind.Starting,
            ],
            sink.Events.Select(e => e.Kind));
        Assert.Equal("Some future dyno manager line", Assert.Single(sink.App).Message);
    }

    [Fact]
    public void ParseLogplexBody_LifecycleEvents_CarrySourceProcIdDynoAndMessage()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/dyno-lifecycle.logplex"));
        var restarting = sink.Events[0];

        Assert.Equal(new DynoName("web.1"), restarting.Dyno);
        Assert.Equal("heroku", restarting.Source);
        Assert.Equal("web.1", restarting.ProcId);
        Assert.Equal("Restarting", restarting.Message);
        Assert.Equal("Restarting", restarting.Description);
        Assert.Null(restarting.Code);
        Assert.Equal(new DateTimeOffset(2017, 8, 28, 8, 36, 13, 100, TimeSpan.Zero), restarting.Time);
    }

    [Fact]
    public void ParseLogplexBody_StateChanged_ReadsFromAndTo()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/dyno-lifecycle.logplex"));

        var states = sink.Events.Where(e => e.Kind == DynoEventKind.StateChanged).Select(e => (e.FromState, e.ToState, e.Dyno?.Value));
        Assert.Equal([("up", "starting", "web.1"), ("starting", "up", "web.1"), ("starting", "crashed", "web.1"), ("up", "complete", "scheduler.9200")], states);
    }

    [Fact]
    public void ParseLogplexBody_ProcessExited_ReadsStatusOrNoneForBareLine()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/dyno-lifecycle.logplex"));

        var exits = sink.Events.Where(e => e.Kind == DynoEventKind.Exited).Select(e => e.ExitStatus);
        Assert.Equal([143, 137, null], exits);
    }

    [Fact]
    public void ParseLogplexBody_RuntimeErrors_CarryCatalogueCodeAndTitle()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/dyno-lifecycle.logplex"));

        var errors = sink.Events.Where(e => e.Kind == DynoEventKind.RuntimeError).ToList();
        Assert.Equal([ErrorCatalog.R10, ErrorCatalog.R14, ErrorCatalog.R15, ErrorCatalog.R12], errors.Select(e => e.Code));
        Assert.Equal(["Boot timeout", "Memory quota exceeded", "Memory quota vastly exceeded", "Exit timeout"], errors.Select(e => e.Description));
        Assert.Equal(new DynoName("worker.1"), errors[1].Dyno);
        Assert.Contains("-> Web process failed to bind", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLogplexBody_ProcessRunningMem_ReadsMegabytesAndPercent()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/dyno-lifecycle.logplex"));

        var memory = sink.Events.Where(e => e.Kind == DynoEventKind.MemoryUsage).Select(e => (e.MemoryMb, e.MemoryPercent)).ToList();
        Assert.Equal([(870d, 170.1d), (1028d, 103.3d)], memory);
    }

    [Fact]
    public void ParseLogplexBody_OldDocsAppStartLine_IsStartingFromAppSource()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/dyno-lifecycle.logplex"));

        var starting = sink.Events.Last(e => e.Kind == DynoEventKind.Starting);
        Assert.Equal("app", starting.Source);
        Assert.Equal(new DynoName("web.1"), starting.Dyno);
    }

    [Fact]
    public void ParseLogplexBody_UnknownRuntimeCode_KeepsEventWithNameFromParentheses()
    {
        var (sink, _) = Parse(LogplexBody.Of(LogplexBody.Syslog("heroku", "web.1", "Error R11 (Bad bind) -> Process bound to port 80")));

        var error = Assert.Single(sink.Events);
        Assert.Equal(DynoEventKind.RuntimeError, error.Kind);
        Assert.Null(error.Code);
        Assert.Equal("Bad bind", error.Description);
    }

    [Fact]
    public void ParseLogplexBody_ApiFixture_ClassifiesAuditLines()
    {
        var (sink, result) = Parse(Fixture.Bytes("Logplex/api-events.logplex"));

        Assert.Equal(7, result.EventLines);
        Assert.Equal(1, result.AppLines);
        Assert.Equal(
            [
                (DynoEventKind.Release, "Release v42 created"), (DynoEventKind.Deploy, "Deploy 1a2b3c4d"),
                (DynoEventKind.Build, "Build started"), (DynoEventKind.Build, "Build succeeded"), (DynoEventKind.Build, "Build failed"),
                (DynoEventKind.ConfigChange, "Set REDIS_URL, SECRET_KEY config vars"), (DynoEventKind.Scale, "Scaled to web@4:Standard-1X"),
            ],
            sink.Events.Select(e => (e.Kind, e.Description)));
        Assert.All(sink.Events, e =>
        {
            Assert.Null(e.Dyno);
            Assert.Equal("app", e.Source);
            Assert.Equal("api", e.ProcId);
        });
        Assert.StartsWith("Attach DATABASE", Assert.Single(sink.App).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLogplexBody_L10GluedToNextFrame_ReadsBothAndTheRestOfTheBody()
    {
        var (sink, result) = Parse(Fixture.Bytes("Logplex/l10-glued.logplex"));

        Assert.Equal(new DrainParseResult(Frames: 5, RuntimeLines: 1, RouterLines: 0, EventLines: 2, AppLines: 2, RawLines: 0, Resyncs: 0), result);
        Assert.Equal([LineKind.Event, LineKind.Runtime, LineKind.App, LineKind.App, LineKind.Event], sink.Order);

        var l10 = sink.Events[0];
        Assert.Equal(DynoEventKind.LogplexError, l10.Kind);
        Assert.Same(ErrorCatalog.L10, l10.Code);
        Assert.Null(l10.Dyno);
        Assert.Equal("logplex", l10.ProcId);
        Assert.EndsWith("since 2017-08-31T14:44:12+00:00.", l10.Message, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2017, 8, 31, 14, 50, 0, TimeSpan.Zero), l10.Time);

        var l12 = sink.Events[1];
        Assert.Same(ErrorCatalog.L12, l12.Code);
        Assert.Equal("log-shuttle", l12.ProcId);
        Assert.Equal("app", l12.Source);
    }

    [Fact]
    public void ParseLogplexBody_EmptyMessageFrame_IsEmptyAppLine()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/l10-glued.logplex"));

        var empty = sink.App[0];
        Assert.Equal("", empty.Message);
        Assert.Equal(new DynoName("dramatiqworker.2"), empty.Dyno);
        Assert.False(empty.IsLogfmt);
    }

    [Fact]
    public void ParseLogplexBody_EnDashMessage_KeepsMultibyteText()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/l10-glued.logplex"));

        Assert.Equal("Deploy finished – all good", sink.App[1].Message);
    }

    [Theory]
    [InlineData("Error L11 (Tail buffer overflow) -> This tail session dropped 5 messages since 2021-01-01T00:00:00+00:00", "L11")]
    [InlineData("Error L14 (certificate validation): error=\"x509: certificate signed by unknown authority\" uri=\"syslog+tls://logs.example.com:514/\"", "L14")]
    [InlineData("Error L10 (output buffer overflow): drain 'd.0c8a3b2e-1111-2222-3333-444455556666' dropped 12 messages since 2025-01-02T03:00:00+00:00.", "L10")]
    public void ParseLogplexBody_LogplexErrorForms_AreLogplexErrors(string message, string code)
    {
        var (sink, _) = Parse(LogplexBody.Of(LogplexBody.Syslog("heroku", "logplex", message, pri: 172)));

        var error = Assert.Single(sink.Events);
        Assert.Equal(DynoEventKind.LogplexError, error.Kind);
        Assert.Equal(code, error.Code?.Code);
        Assert.Equal(error.Code?.Title, error.Description);
    }

    [Fact]
    public void ParseLogplexBody_AppOutputThatMentionsAnError_IsAppLine()
    {
        var (sink, _) = Parse(LogplexBody.Of(LogplexBody.Syslog("app", "web.1", "Error R14 (Memory quota exceeded)")));

        Assert.Empty(sink.Events);
        Assert.Single(sink.App);
    }

    [Fact]
    public void ParseLogplexBody_SyslogDrainForm_ClassifiesLikeHttpsForm()
    {
        var body = LogplexBody.Of("<45>1 2017-08-28T08:36:13.100000+00:00 d.9a8b7c6d-1111-2222-3333-444455556666 heroku web.1 - - State changed from up to down");

        var (sink, _) = Parse(body);

        var changed = Assert.Single(sink.Events);
        Assert.Equal(("up", "down"), (changed.FromState, changed.ToState));
    }

    [Fact]
    public void ParseLogplexBody_NotSyslogFrame_IsRawWithReason()
    {
        var body = new LogplexBody().Line("this is not syslog").Line(LogplexBody.Syslog("app", "web.1", "ok")).ToArray();

        var (sink, result) = Parse(body);

        Assert.Equal(1, result.RawLines);
        Assert.Equal(("this is not syslog\n", SyslogHeader.NotSyslogReason), (sink.Raw[0].Text, sink.Raw[0].Reason));
        Assert.Equal("ok", Assert.Single(sink.App).Message);
    }

    [Fact]
    public void ParseLogplexBody_WrongCounts_GoodFramesAroundSurvive()
    {
        var good = LogplexBody.Syslog("heroku", "router", "at=info method=GET path=\"/\" status=200");
        var body = new LogplexBody()
            .Line(good)
            .WithCount("12", good + "\n")
            .Line(good)
            .WithCount("-3", good + "\n")
            .Line(good)
            .WithCount("x", good + "\n")
            .Line(good)
            .WithCount("999999", good + "\n")
            .ToArray();

        var (sink, result) = Parse(body);

        Assert.Equal(4, result.RouterLines);
        Assert.Equal(4, result.RawLines);
        Assert.Equal(4, result.Resyncs);
        Assert.Equal(8, result.Frames);
        Assert.All(sink.Raw, r => Assert.Equal(LogplexFrameReader.BadOctetCountReason, r.Reason));
        Assert.Equal(
            [LineKind.Router, LineKind.Raw, LineKind.Router, LineKind.Raw, LineKind.Router, LineKind.Raw, LineKind.Router, LineKind.Raw],
            sink.Order);
    }
}
