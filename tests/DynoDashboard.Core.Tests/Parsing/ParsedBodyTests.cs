using System.Text;
using CsCheck;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

/// <summary>A body parsed ahead and replayed later must reach the sink exactly as a direct parse would.</summary>
public sealed class ParsedBodyTests
{
    private static readonly DateTimeOffset s_time = new(2025, 8, 8, 6, 58, 53, TimeSpan.Zero);

    private static readonly string[] s_messages =
    [
        LogplexBody.Syslog("heroku", "router", "at=info method=GET path=\"/a b\" host=h request_id=r fwd=\"1.1.1.1\" dyno=web.1 connect=1ms service=2ms status=200 bytes=3 protocol=https"),
        LogplexBody.Syslog("heroku", "router", "at=error code=H12 desc=\"Request timeout\" method=POST path=\"/slow\\\"q\" host=h request_id=r2 fwd=\"1.1.1.1\" dyno=web.2 connect=0ms service=30000ms status=503 bytes=0 protocol=https"),
        LogplexBody.Syslog("heroku", "router", "sock=client at=warning code=H27 desc=\"Client Request Interrupted\" method=GET path=\"/x\" host=h request_id=r3 fwd=\"1.1.1.1\" dyno=web.1 connect=1ms service=5ms status=499 bytes= protocol=https"),
        LogplexBody.Syslog("heroku", "web.1", "source=web.1 dyno=heroku.1.u sample#load_avg_1m=0.47 sample#load_avg_5m=0.31 sample#load_avg_15m=0.20"),
        LogplexBody.Syslog("heroku", "web.1", "source=web.1 dyno=heroku.1.u sample#memory_total=1.00MB sample#memory_rss=0.9MB sample#memory_swap=0.01MB sample#memory_quota=512.00MB"),
        LogplexBody.Syslog("heroku", "web.1", "Process running mem=870M(170.1%)"),
        LogplexBody.Syslog("heroku", "web.1", "Error R14 (Memory quota exceeded)"),
        LogplexBody.Syslog("heroku", "web.1", "State changed from up to crashed"),
        LogplexBody.Syslog("heroku", "web.1", "Process exited with status 143"),
        LogplexBody.Syslog("app", "api", "Release v42 created by user@example.com"),
        LogplexBody.Syslog("app", "web.1", "at=info msg=\"hello \\\"world\\\"\" user=42"),
        LogplexBody.Syslog("app", "web.1", "plain text output é ✓"),
        LogplexBody.Syslog("heroku", "logplex", "Error L10 (output buffer overflow): 7 messages dropped since 2025-08-08T06:58:50+00:00."),
    ];

    [Fact]
    public void Replay_EveryFixture_SameCallsAsParsingDirectly()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var cliText = file.EndsWith(".txt", StringComparison.Ordinal);
            AssertSameAsDirect(File.ReadAllBytes(file), cliText);
        }
    }

    [Fact]
    public void Replay_RandomBodiesOfRealLinesCutAndMutated_SameCallsAsParsingDirectly()
    {
        var gen = Gen.Select(Gen.Int[0, s_messages.Length - 1], Gen.Int[0, 400], Gen.Byte, Gen.Int[0, 400]);
        gen.Array[1, 12].Sample(edits =>
        {
            var body = new List<byte>();
            foreach (var (index, cut, value, at) in edits)
            {
                var frame = LogplexBody.Of(s_messages[index]);
                // About half the frames stay whole; the others are cut short or get one byte changed.
                if (cut < 200)
                {
                    frame = frame[..Math.Min(frame.Length, cut + 10)];
                    frame[at % frame.Length] = value;
                }

                body.AddRange(frame);
            }

            AssertSameAsDirect(body.ToArray(), cliText: false);
        }, iter: 2000);
    }

    [Fact]
    public void Parse_SecondBodyIntoTheSameInstance_ReplaysOnlyTheSecond()
    {
        var parser = new HerokuLogParser();
        var parsed = new ParsedBody();
        parsed.Parse(parser, LogplexBody.Of(s_messages[0], s_messages[3], s_messages[10]));
        var second = LogplexBody.Of(s_messages[1]);
        var result = parsed.Parse(parser, second);

        var sink = new RecordingSink();
        parsed.Replay(ref sink);

        Assert.Equal(1, result.Lines);
        Assert.Equal([LineKind.Router], sink.Order);
        Assert.Equal("H12", sink.Router[0].Code?.Code);
        Assert.Equal(1, parsed.Count);
    }

    [Fact]
    public void Replay_ViewOutsideTheBody_IsCopiedAndReplayedIntact()
    {
        // The parser's views all point into the body today; a sink call with any other view must still replay intact.
        var parsed = new ParsedBody();
        parsed.Parse(new HerokuLogParser(), LogplexBody.Of(s_messages[11]));
        var outside = Encoding.UTF8.GetBytes("from a buffer of its own ✓");
        ((IHerokuLineSink)parsed).OnAppLine(new AppLine
        {
            Time = s_time,
            Source = "app"u8,
            ProcId = "web.9"u8,
            Message = outside,
        });
        outside.AsSpan().Clear(); // the caller's buffer is gone by the time of the replay

        var sink = new RecordingSink();
        parsed.Replay(ref sink);

        Assert.Equal(2, sink.App.Count);
        Assert.Equal("plain text output é ✓", sink.App[0].Message);
        Assert.Equal(("app", "web.9", "from a buffer of its own ✓"), (sink.App[1].Source, sink.App[1].ProcId, sink.App[1].Message));
    }

    [Fact]
    public void Parse_SteadyStateRuntimeAndRouterBodies_AllocatesNothing()
    {
        var parser = new HerokuLogParser();
        var parsed = new ParsedBody();
        var body = LogplexBody.Of([.. Enumerable.Repeat(s_messages[0], 200), .. Enumerable.Repeat(s_messages[3], 50), .. Enumerable.Repeat(s_messages[4], 50)]);
        parsed.Parse(parser, body); // warm: lists grow once, names are pooled

        var before = GC.GetAllocatedBytesForCurrentThread();
        parsed.Parse(parser, body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(300, parsed.Count);
    }

    private static void AssertSameAsDirect(byte[] body, bool cliText)
    {
        var direct = new RecordingSink();
        var parser = new HerokuLogParser();
        var directResult = cliText ? parser.ParseCliText(body, ref direct) : parser.ParseLogplexBody(body, ref direct);

        var parsed = new ParsedBody();
        var aheadResult = parsed.Parse(new HerokuLogParser(), body, cliText);
        var replayed = new RecordingSink();
        parsed.Replay(ref replayed);

        Assert.Equal(directResult, aheadResult);
        Assert.Equal(direct.Order, replayed.Order);
        Assert.Equal(direct.Runtime, replayed.Runtime);
        Assert.Equal(direct.Router, replayed.Router);
        Assert.Equal(direct.Events, replayed.Events);
        Assert.Equal(direct.App, replayed.App);
        Assert.Equal(direct.Raw, replayed.Raw);
        Assert.Equal(directResult.Lines, parsed.Count);
    }
}
