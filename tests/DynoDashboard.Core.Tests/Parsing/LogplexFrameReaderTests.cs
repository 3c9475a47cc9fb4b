using System.Text;
using CsCheck;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class LogplexFrameReaderTests
{
    private static readonly string s_a = LogplexBody.Syslog("app", "web.1", "first");
    private static readonly string s_b = LogplexBody.Syslog("app", "web.2", "second");
    private static readonly string s_c = LogplexBody.Syslog("heroku", "router", "at=info method=GET");

    private static (List<(string Text, string? Reason)> Frames, int Resyncs) ReadAll(byte[] body)
    {
        var frames = new List<(string, string?)>();
        var reader = new LogplexFrameReader(body);
        while (reader.TryRead(out var frame))
        {
            frames.Add((Encoding.UTF8.GetString(frame.Text), frame.RawReason));
        }

        Assert.Equal(frames.Count, reader.Frames);
        return (frames, reader.Resyncs);
    }

    [Fact]
    public void TryRead_CorrectCounts_ReturnsEachFrameWithItsLf()
    {
        var (frames, resyncs) = ReadAll(LogplexBody.Of(s_a, s_b, s_c));

        Assert.Equal([(s_a + "\n", null), (s_b + "\n", null), (s_c + "\n", null)], frames);
        Assert.Equal(0, resyncs);
    }

    [Fact]
    public void TryRead_EmptyBody_ReturnsNothing()
    {
        var (frames, resyncs) = ReadAll([]);

        Assert.Empty(frames);
        Assert.Equal(0, resyncs);
    }

    [Fact]
    public void TryRead_L10FrameWithoutLf_EndsExactlyAtNextCount()
    {
        var l10 = "<172>1 2017-08-31T14:50:00+00:00 host heroku logplex - Error L10 (output buffer overflow): 203 messages dropped since 2017-08-31T14:44:12+00:00.";
        var (frames, resyncs) = ReadAll(new LogplexBody().Exact(l10).Line(s_a).ToArray());

        Assert.Equal([(l10, null), (s_a + "\n", null)], frames);
        Assert.Equal(0, resyncs);
    }

    [Fact]
    public void TryRead_LongLineSplitIntoChunksWithoutLf_HonoursExactCounts()
    {
        // Dyno lines over 10 000 bytes arrive as 10 000-byte chunks with no LF; a chunk may end in a digit
        // and then runs straight into the next frame's count.
        var header = LogplexBody.Syslog("app", "web.1", "");
        var chunk = header + new string('7', 10_000 - header.Length);
        var (frames, resyncs) = ReadAll(new LogplexBody().Exact(chunk).Exact(chunk).Line(s_a).ToArray());

        Assert.Equal([(chunk, null), (chunk, null), (s_a + "\n", null)], frames);
        Assert.Equal(0, resyncs);
    }

    [Fact]
    public void TryRead_MultibyteUtf8_CountsBytesNotChars()
    {
        var dash = LogplexBody.Syslog("app", "web.1", "Deploy finished – all good");
        var (frames, resyncs) = ReadAll(LogplexBody.Of(dash, s_b));

        Assert.Equal([(dash + "\n", null), (s_b + "\n", null)], frames);
        Assert.Equal(0, resyncs);
    }

    [Fact]
    public void TryRead_LfOrCrLfOrSpacesBetweenFrames_AreTolerated()
    {
        var body = new LogplexBody().Line(s_a).Text("\r\n").Line(s_b).Text("  \n").Line(s_c).Text("\n").ToArray();

        var (frames, resyncs) = ReadAll(body);

        Assert.Equal(3, frames.Count);
        Assert.All(frames, f => Assert.Null(f.Reason));
        Assert.Equal(0, resyncs);
    }

    [Fact]
    public void TryRead_CountOneTooSmall_StillReadsCleanly()
    {
        var count = Encoding.UTF8.GetByteCount(s_a); // leaves the LF out of the count
        var body = new LogplexBody().WithCount(count.ToString(System.Globalization.CultureInfo.InvariantCulture), s_a + "\n").Line(s_b).ToArray();

        var (frames, resyncs) = ReadAll(body);

        Assert.Equal([(s_a, null), (s_b + "\n", null)], frames);
        Assert.Equal(0, resyncs);
    }

    [Fact]
    public void TryRead_CountOneTooBig_StillReadsCleanly()
    {
        var count = Encoding.UTF8.GetByteCount(s_a) + 2; // LF plus one byte of the next count
        var body = new LogplexBody().WithCount(count.ToString(System.Globalization.CultureInfo.InvariantCulture), s_a + "\n").Line(s_b).ToArray();

        var (frames, resyncs) = ReadAll(body);

        Assert.Equal([(s_a + "\n", null), (s_b + "\n", null)], frames);
        Assert.Equal(0, resyncs);
    }

    [Fact]
    public void TryRead_CountOneTooBigOnLastFrame_StillReadsCleanly()
    {
        var count = Encoding.UTF8.GetByteCount(s_b) + 2;
        var body = new LogplexBody().Line(s_a).WithCount(count.ToString(System.Globalization.CultureInfo.InvariantCulture), s_b + "\n").ToArray();

        var (frames, resyncs) = ReadAll(body);

        Assert.Equal([(s_a + "\n", null), (s_b + "\n", null)], frames);
        Assert.Equal(0, resyncs);
    }

    [Theory]
    [InlineData("40")]
    [InlineData("999")]
    [InlineData("99999999999999999999")]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("2147483647")]
    [InlineData("0")]
    public void TryRead_WrongCountInTheMiddle_ResyncsAndKeepsGoodFramesAround(string count)
    {
        var body = new LogplexBody().Line(s_a).WithCount(count, s_b + "\n").Line(s_c).ToArray();

        var (frames, resyncs) = ReadAll(body);

        Assert.Equal(3, frames.Count);
        Assert.Equal((s_a + "\n", (string?)null), frames[0]);
        Assert.Equal(count + " " + s_b, frames[1].Text);
        Assert.Equal(LogplexFrameReader.BadOctetCountReason, frames[1].Reason);
        Assert.Equal((s_c + "\n", (string?)null), frames[2]);
        Assert.Equal(1, resyncs);
    }

    [Fact]
    public void TryRead_CountRunsPastEnd_ReturnsRestAsRaw()
    {
        var body = new LogplexBody().Line(s_a).WithCount("5000", s_b + "\n").ToArray();

        var (frames, resyncs) = ReadAll(body);

        Assert.Equal(2, frames.Count);
        Assert.Equal("5000 " + s_b, frames[1].Text);
        Assert.Equal(LogplexFrameReader.BadOctetCountReason, frames[1].Reason);
        Assert.Equal(1, resyncs);
    }

    [Fact]
    public void TryRead_NewlineSeparatedWithoutCounts_IsOneRawFrame()
    {
        var body = Encoding.UTF8.GetBytes(s_a + "\n" + s_b + "\n");

        var (frames, resyncs) = ReadAll(body);

        Assert.Single(frames);
        Assert.Equal(LogplexFrameReader.BadOctetCountReason, frames[0].Reason);
        Assert.Equal(1, resyncs);
    }

    [Fact]
    public void TryRead_GarbageBeforeFrames_ResyncsToFirstFrame()
    {
        var body = new LogplexBody().Text("junk 12 3 <x>").Line(s_a).ToArray();

        var (frames, resyncs) = ReadAll(body);

        Assert.Equal([("junk 12 3 <x>", LogplexFrameReader.BadOctetCountReason), (s_a + "\n", null)], frames);
        Assert.Equal(1, resyncs);
    }

    [Fact]
    public void TryRead_PublishedL10Fixture_ReadsEveryFrameWithoutResync()
    {
        var (frames, resyncs) = ReadAll(Fixture.Bytes("Logplex/l10-glued.logplex"));

        Assert.Equal(5, frames.Count);
        Assert.EndsWith("since 2017-08-31T14:44:12+00:00.", frames[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("<45>1 ", frames[1].Text, StringComparison.Ordinal);
        Assert.Equal(0, resyncs);
    }

    [Fact]
    public void Fixture_L10Glued_HoldsThePublishedByteSequences()
    {
        // Guards the fixture itself: the L10 frame runs into the next count exactly as in published bodies,
        // and the empty-message frame has the published count of 69.
        var text = Encoding.UTF8.GetString(Fixture.Bytes("Logplex/l10-glued.logplex"));

        Assert.Contains("since 2017-08-31T14:44:12+00:00.203 <45>1 ", text, StringComparison.Ordinal);
        Assert.Contains("\n69 <190>1 2023-01-16T19:25:43.390224+00:00 host app dramatiqworker.2 - \n", text, StringComparison.Ordinal);
        Assert.Contains("Deploy finished – all good", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_ArbitraryBytes_NeverThrowsAndAlwaysAdvances()
    {
        Gen.Byte.Array[0, 400].Sample(bytes =>
        {
            var reader = new LogplexFrameReader(bytes);
            var frames = 0;
            while (reader.TryRead(out _))
            {
                Assert.True(++frames <= bytes.Length);
            }
        }, iter: 3000);
    }

    [Fact]
    public void TryRead_FramesMixedWithCountLikeJunk_NeverThrowsAndKeepsTheTailText()
    {
        var pieces = Gen.OneOf(
            Gen.Const(LogplexBody.Of(s_a)),
            Gen.Const(new LogplexBody().Exact(s_b).ToArray()),
            Gen.Byte.Array[0, 20],
            Gen.Const("\n"u8.ToArray()),
            Gen.Const("123 <"u8.ToArray()),
            Gen.Const("-1 <190>1 "u8.ToArray()));

        pieces.Array[0, 12].Sample(parts =>
        {
            var (frames, _) = ReadAll([.. parts.SelectMany(p => p), .. LogplexBody.Of(s_c)]);

            Assert.NotEmpty(frames);
            Assert.Contains(s_c, frames[^1].Text, StringComparison.Ordinal);
        }, iter: 2000);
    }

    [Fact]
    public void TryRead_GoodFramesBetweenLineEndedJunk_EveryGoodFrameSurvivesInOrder()
    {
        var good = Gen.OneOf(Gen.Const(s_a), Gen.Const(s_c)).Select(m => (Good: m, Bytes: LogplexBody.Of(m)));

        // Junk ends in LF: junk ending in a digit would glue onto the next count, which no reader can undo.
        var junk = Gen.Byte.Array[0, 20].Select(b => (Good: (string?)null, Bytes: b.Append((byte)'\n').ToArray()));
        var pieces = Gen.Frequency((3, good.Select(g => (Good: (string?)g.Good, g.Bytes))), (1, junk));

        pieces.Array[0, 12].Sample(parts =>
        {
            var (frames, _) = ReadAll([.. parts.SelectMany(p => p.Bytes)]);

            var expected = parts.Where(p => p.Good is not null).Select(p => p.Good + "\n").ToList();
            var found = frames.Where(f => f.Reason is null && (f.Text == s_a + "\n" || f.Text == s_c + "\n")).Select(f => f.Text).ToList();
            Assert.Equal(expected, found);
        }, iter: 2000);
    }
}
