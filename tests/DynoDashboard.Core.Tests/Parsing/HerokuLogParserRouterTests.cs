using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class HerokuLogParserRouterTests
{
    private static RecordingSink ParseRouterFixture()
    {
        var sink = new RecordingSink();
        var result = new HerokuLogParser().ParseLogplexBody(Fixture.Bytes("Logplex/router-lines.logplex"), ref sink);
        Assert.Equal(new DrainParseResult(9, 0, 9, 0, 0, 0, 0), result);
        return sink;
    }

    private static RouterRecord ParseOne(string message)
    {
        var sink = new RecordingSink();
        new HerokuLogParser().ParseLogplexBody(LogplexBody.Of(LogplexBody.Syslog("heroku", "router", message, pri: 158)), ref sink);
        return Assert.Single(sink.Router);
    }

    [Fact]
    public void ParseLogplexBody_InfoLine_ReadsEveryField()
    {
        var info = ParseRouterFixture().Router[0];

        Assert.Equal(RouterLevel.Info, info.Level);
        Assert.Null(info.Code);
        Assert.Equal("GET", info.Method);
        Assert.Equal("/api/items?page=2", info.Path);
        Assert.Equal("myapp.herokuapp.com", info.Host);
        Assert.Equal("6c2fd0b4-5b3c-4e8a-9a1f-3c8f0c0de123", info.RequestId);
        Assert.Equal("203.0.113.7", info.Fwd);
        Assert.Equal(new DynoName("web.1"), info.Dyno);
        Assert.Equal(1, info.ConnectMs);
        Assert.Equal(22, info.ServiceMs);
        Assert.Equal(200, info.Status);
        Assert.Equal(656, info.Bytes);
        Assert.Equal("https", info.Protocol);
        Assert.Equal("", info.Sock);
        Assert.Equal(new DateTimeOffset(2022, 3, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(7890120), info.Time);
    }

    [Fact]
    public void ParseLogplexBody_H12_HasCatalogueCodeAndMultipleFwdIps()
    {
        var h12 = ParseRouterFixture().Router[1];

        Assert.Equal(RouterLevel.Error, h12.Level);
        Assert.Same(ErrorCatalog.H12, h12.Code);
        Assert.Equal("Request timeout", h12.Desc);
        Assert.Equal("198.51.100.2,10.0.0.1", h12.Fwd);
        Assert.Equal(30000, h12.ServiceMs);
        Assert.Equal(0, h12.ConnectMs);
        Assert.Equal(0, h12.Bytes);
        Assert.Equal(DynoEventKind.RouterError, h12.AsEvent.Kind);
        Assert.Equal("Request timeout", h12.AsEvent.Description);
        Assert.Equal("/reports/slow", h12.AsEvent.Path);
    }

    [Theory]
    [InlineData(2, "H10")]
    [InlineData(3, "H14")]
    public void ParseLogplexBody_EmptyValues_AreMissingNotZero(int index, string code)
    {
        var line = ParseRouterFixture().Router[index];

        Assert.Equal(code, line.Code?.Code);
        Assert.Null(line.Dyno);
        Assert.Null(line.ConnectMs);
        Assert.Null(line.ServiceMs);
        Assert.Null(line.Bytes);
        Assert.Equal(503, line.Status);
        Assert.Null(line.AsEvent.Dyno);
    }

    [Fact]
    public void ParseLogplexBody_H14_KeepsLogDescription()
    {
        Assert.Equal("No web processes running", ParseRouterFixture().Router[3].Desc);
    }

    [Fact]
    public void ParseLogplexBody_H27SockClient_IsWarningWithStatus499()
    {
        var h27 = ParseRouterFixture().Router[4];

        Assert.Equal("client", h27.Sock);
        Assert.Equal(RouterLevel.Warning, h27.Level);
        Assert.Same(ErrorCatalog.H27, h27.Code);
        Assert.Equal(499, h27.Status);
        Assert.Null(h27.Bytes);
    }

    [Fact]
    public void ParseLogplexBody_H18SockBackend_ReadsSock()
    {
        var h18 = ParseRouterFixture().Router[5];

        Assert.Equal("backend", h18.Sock);
        Assert.Same(ErrorCatalog.H18, h18.Code);
        Assert.Equal(new DynoName("web.3"), h18.Dyno);
    }

    [Fact]
    public void ParseLogplexBody_Router20Line_ReadsHttp2AndQuotedPathWithSpaces()
    {
        var line = ParseRouterFixture().Router[6];

        Assert.Equal("/api/Schlachter 1951/books", line.Path);
        Assert.Equal("http2.0", line.Protocol);
        Assert.Equal("5a5c019d-b326-b722-1e51-2c2f3a2b1c0d", line.RequestId);
        Assert.Contains("tls_version=tls1.3", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLogplexBody_H26_ReadsCauseAndConnectZeroWithoutUnit()
    {
        var h26 = ParseRouterFixture().Router[7];

        Assert.Same(ErrorCatalog.H26, h26.Code);
        Assert.Equal("bad chunk", h26.Cause);
        Assert.Equal(0, h26.ConnectMs);
        Assert.Equal(0, h26.ServiceMs);
        Assert.Equal(400, h26.Status);
    }

    [Fact]
    public void ParseLogplexBody_OldUnquotedLineWithoutRequestId_ReadsWhatIsThere()
    {
        var line = ParseRouterFixture().Router[8];

        Assert.Equal("/", line.Path);
        Assert.Equal("1.2.3.4", line.Fwd);
        Assert.Equal("", line.RequestId);
        Assert.Equal("", line.Protocol);
        Assert.Equal(28054625, line.Bytes);
    }

    [Theory]
    [InlineData("H80")]
    [InlineData("H81")]
    [InlineData("H82")]
    public void ParseLogplexBody_InfoWithCode_KeepsInfoLevelAndCode(string code)
    {
        var line = ParseOne($"at=info code={code} desc=\"x\" method=GET path=\"/\" host=a.example.com request_id=r fwd=\"1.1.1.1\" dyno= connect= service= status=503 bytes= protocol=https");

        Assert.Equal(RouterLevel.Info, line.Level);
        Assert.Equal(code, line.Code?.Code);
    }

    [Fact]
    public void ParseLogplexBody_UnknownCode_KeepsLineWithoutCode()
    {
        var line = ParseOne("at=error code=H77 desc=\"Future\" method=GET path=\"/\" status=503");

        Assert.Null(line.Code);
        Assert.Equal("Future", line.Desc);
        Assert.Equal("Router error", line.AsEvent.Description);
    }

    [Fact]
    public void ParseLogplexBody_LegacyPre2012Line_BecomesRouterRequest()
    {
        var line = ParseOne("GET myapp.heroku.com/posts/1 dyno=web.1 queue=0 wait=0ms service=7ms bytes=215");

        Assert.Equal(RouterLevel.Info, line.Level);
        Assert.Equal("GET", line.Method);
        Assert.Equal("myapp.heroku.com", line.Host);
        Assert.Equal("/posts/1", line.Path);
        Assert.Equal(new DynoName("web.1"), line.Dyno);
        Assert.Equal(7, line.ServiceMs);
        Assert.Equal(215, line.Bytes);
        Assert.Null(line.Status);
    }

    [Fact]
    public void ParseLogplexBody_LegacyErrorLine_BecomesRouterErrorWithCode()
    {
        var line = ParseOne("Error H12 (Request timeout) -> GET myapp.heroku.com/slow dyno=web.2 queue=0 wait=0ms service=30000ms status=503 bytes=0");

        Assert.Equal(RouterLevel.Error, line.Level);
        Assert.Same(ErrorCatalog.H12, line.Code);
        Assert.Equal("Request timeout", line.Desc);
        Assert.Equal("/slow", line.Path);
        Assert.Equal(30000, line.ServiceMs);
        Assert.Equal(503, line.Status);
    }

    [Fact]
    public void ParseLogplexBody_UnrecognisedRouterText_IsAppLine()
    {
        var sink = new RecordingSink();
        new HerokuLogParser().ParseLogplexBody(LogplexBody.Of(LogplexBody.Syslog("heroku", "router", "something else entirely")), ref sink);

        Assert.Empty(sink.Router);
        Assert.Equal("router", Assert.Single(sink.App).ProcId);
    }

    [Fact]
    public void ParseLogplexBody_EscapedQuoteInPath_KeepsEscapedValue()
    {
        var line = ParseOne("at=info method=GET path=\"/q?x=\\\"a b\\\"\" host=h status=200");

        Assert.Equal("/q?x=\\\"a b\\\"", line.Path);
        Assert.Equal(200, line.Status);
    }
}
