using System.Text;
using CsCheck;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class HerokuLogParserRobustnessTests
{
    private static readonly string[] s_messages =
    [
        LogplexBody.Syslog("heroku", "router", "at=info method=GET path=\"/a b\" host=h request_id=r fwd=\"1.1.1.1\" dyno=web.1 connect=1ms service=2ms status=200 bytes=3 protocol=https"),
        LogplexBody.Syslog("heroku", "web.1", "source=web.1 dyno=heroku.1.u sample#memory_total=1.00MB sample#memory_pgpgin=1pages"),
        LogplexBody.Syslog("heroku", "web.1", "Process running mem=870M(170.1%)"),
        LogplexBody.Syslog("heroku", "web.1", "State changed from up to"),
        LogplexBody.Syslog("heroku", "logplex", "Error L1"),
        LogplexBody.Syslog("app", "api", "Release v"),
        LogplexBody.Syslog("heroku", "router", "Error H12 (Request timeout"),
        LogplexBody.Syslog("heroku", "router", "sock=client at=warning code=H27 path=\"/unterminated"),
        LogplexBody.Syslog("heroku", "router", "Error H12 (Request timeout) -> GET myapp.heroku.com/slow dyno=web.2 queue=0 wait=0ms service=30000ms status=503 bytes=0"),
        LogplexBody.Syslog("heroku", "web.1", "Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch"),
        LogplexBody.Syslog("heroku", "web.1", "Process exited with status 143"),
        LogplexBody.Syslog("heroku", "web.1", "source=heroku.1234567.web.1.d97d0d2e-6b59-4ed6-8b1f-9a0c2a8f3d11 measure=memory_total val=21.05 units=MB"),
        LogplexBody.Syslog("app", "log-shuttle", "Error L12: 17 messages dropped since 2017-08-31T14:50:00+00:00."),
        LogplexBody.Syslog("app", "web.1", "Starting process with command: `bundle exec thin start -p $PORT`"),
    ];

    [Fact]
    public void ParseLogplexBody_ArbitraryBytes_NeverThrowsAndCallsSinkOncePerFrame()
    {
        var parser = new HerokuLogParser();
        Gen.Byte.Array[0, 500].Sample(bytes =>
        {
            var sink = new CountingSink();
            var result = parser.ParseLogplexBody(bytes, ref sink);
            Assert.Equal(result.Frames, sink.Calls);
            Assert.Equal(result.Frames, result.Lines);
        }, iter: 3000);
    }

    [Fact]
    public void ParseLogplexBody_TruncatedAndMutatedFrames_NeverThrows()
    {
        var parser = new HerokuLogParser();
        var gen = Gen.Select(Gen.Int[0, s_messages.Length - 1], Gen.Int[0, 300], Gen.Byte, Gen.Int[0, 300]);
        gen.Array[1, 6].Sample(edits =>
        {
            var body = new List<byte>();
            foreach (var (index, cut, value, at) in edits)
            {
                var frame = LogplexBody.Of(s_messages[index]);
                frame = frame[..Math.Min(frame.Length, Math.Max(cut, 1) + 10)];
                frame[at % frame.Length] = value;
                body.AddRange(frame);
            }

            var sink = new CountingSink();
            var result = parser.ParseLogplexBody(body.ToArray(), ref sink);
            Assert.Equal(result.Frames, sink.Calls);
        }, iter: 3000);
    }

    [Fact]
    public void ParseCliText_ArbitraryText_NeverThrows()
    {
        var parser = new HerokuLogParser();
        var lineGen = Gen.OneOf(
            Gen.Const("2021-11-27T09:40:36.095352+00:00 heroku[web.1]: "),
            Gen.Const("2021-11-27T09:40:36+00:00 app[api]:"),
            Gen.String[0, 40]);
        lineGen.Array[0, 10].Sample(lines =>
        {
            var sink = new CountingSink();
            var result = parser.ParseCliText(Encoding.UTF8.GetBytes(string.Join('\n', lines)), ref sink);
            Assert.Equal(result.Lines, sink.Calls);
        }, iter: 2000);
    }

    [Fact]
    public void ParseLogplexBody_MessageCountAgreesWithLogplexMsgCount()
    {
        // Logplex-Msg-Count counts frames including its own L10: the parser's Frames is what to compare.
        var parser = new HerokuLogParser();
        var sink = new CountingSink();

        var result = parser.ParseLogplexBody(Fixture.Bytes("Logplex/l10-glued.logplex"), ref sink);

        Assert.Equal(5, result.Frames);
        Assert.Equal(5, sink.Calls);
    }

    private struct CountingSink : IHerokuLineSink
    {
        public int Calls;

        public void OnRuntimeSample(in RuntimeSampleLine line) => Calls++;

        public void OnRouterRequest(in RouterRequest request) => Calls++;

        public void OnDynoEvent(DynoEvent dynoEvent) => Calls++;

        public void OnAppLine(in AppLine line) => Calls++;

        public void OnRawLine(in RawLine line) => Calls++;
    }
}
