using System.Text;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class HerokuLogParserCliTests
{
    private static (RecordingSink Sink, DrainParseResult Result) ParseCli(byte[] text)
    {
        var sink = new RecordingSink();
        var result = new HerokuLogParser().ParseCliText(text, ref sink);
        return (sink, result);
    }

    [Fact]
    public void ParseCliText_PastedTail_ClassifiesEveryLineAndKeepsJunkRaw()
    {
        var (sink, result) = ParseCli(Fixture.Bytes("Cli/heroku-logs-tail.txt"));

        Assert.Equal(12, result.Frames); // 13 lines, the blank one skipped
        Assert.Equal(
            [
                LineKind.Event, LineKind.Event, LineKind.Router, LineKind.App, LineKind.App, LineKind.App,
                LineKind.Runtime, LineKind.Event, LineKind.Raw, LineKind.Event, LineKind.Event, LineKind.Raw,
            ],
            sink.Order);
        Assert.Equal(12, result.Lines);
    }

    [Fact]
    public void ParseCliText_PromptGluedToFirstLine_ParsesTheLine()
    {
        var (sink, _) = ParseCli(Fixture.Bytes("Cli/heroku-logs-tail.txt"));

        var restarting = sink.Events[0];
        Assert.Equal(DynoEventKind.Restarting, restarting.Kind);
        Assert.Equal(new DateTimeOffset(2021, 11, 27, 9, 40, 36, TimeSpan.Zero).AddTicks(953520), restarting.Time);
        Assert.Equal(new DynoName("web.1"), restarting.Dyno);
    }

    [Fact]
    public void ParseCliText_EmptyMessageWithAndWithoutSpace_AreAppLines()
    {
        var (sink, _) = ParseCli(Fixture.Bytes("Cli/heroku-logs-tail.txt"));

        Assert.Equal(["Started GET \"/\" for 203.0.113.7", "", "no space after the colon"], sink.App.Select(a => a.Message));
        Assert.All(sink.App, a => Assert.Equal(new DynoName("web.2"), a.Dyno));
    }

    [Fact]
    public void ParseCliText_ListPrefixedRuntimeLine_IsRuntimeSample()
    {
        var (sink, _) = ParseCli(Fixture.Bytes("Cli/heroku-logs-tail.txt"));

        var sample = Assert.Single(sink.Runtime);
        Assert.Equal(0.02, sample.Sample.Load1m);
    }

    [Fact]
    public void ParseCliText_RouterAndApiAndLogplexLines_AreClassified()
    {
        var (sink, _) = ParseCli(Fixture.Bytes("Cli/heroku-logs-tail.txt"));

        Assert.Equal(new DynoName("web.2"), Assert.Single(sink.Router).Dyno);
        Assert.Contains(sink.Events, e => e.Kind == DynoEventKind.Release && e.Description == "Release v43 created");
        Assert.Contains(sink.Events, e => e.Kind == DynoEventKind.LogplexError && e.Code == ErrorCatalog.L10);
        var exited = Assert.Single(sink.Events, e => e.Kind == DynoEventKind.Exited);
        Assert.Equal(0, exited.ExitStatus);
        Assert.Equal(TimeSpan.FromHours(-7), exited.Time.Offset);
    }

    [Fact]
    public void ParseCliText_StackTraceAndPapertrailLines_AreRaw()
    {
        var (sink, _) = ParseCli(Fixture.Bytes("Cli/heroku-logs-tail.txt"));

        Assert.Equal(
            [("    at Object.<anonymous> (/app/index.js:10:5)", HerokuLogParser.NotCliLineReason),
             ("Nov 21 14:14:58 myapp heroku/web.4: State changed from up to down", HerokuLogParser.NotCliLineReason)],
            sink.Raw.Select(r => (r.Text, r.Reason)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\r\n")]
    [InlineData("2021-11-27T09:40:36.095352+00:00")]
    [InlineData("2021-11-27T09:40:36.095352+00:00 heroku web.1: x")]
    [InlineData("2021-11-27T99:40:36.095352+00:00 heroku[web.1]: x")]
    public void ParseCliText_DegenerateInput_NeverThrows(string text)
    {
        var (_, result) = ParseCli(Encoding.UTF8.GetBytes(text));

        Assert.Equal(result.Frames, result.Lines);
    }
}
