using System.Text;
using CsCheck;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class LogfmtReaderTests
{
    private static List<(string Key, string? Value, bool Quoted)> Read(string text)
    {
        var pairs = new List<(string, string?, bool)>();
        var reader = new LogfmtReader(Encoding.UTF8.GetBytes(text));
        while (reader.MoveNext())
        {
            pairs.Add((Encoding.UTF8.GetString(reader.Key), reader.HasValue ? Encoding.UTF8.GetString(reader.Value) : null, reader.IsQuoted));
        }

        return pairs;
    }

    [Fact]
    public void MoveNext_PlainAndQuotedPairs_ReturnsEachPair()
    {
        var pairs = Read("at=info method=GET path=\"/api/Schlachter 1951/books\" fwd=\"1.2.3.4,5.6.7.8\" status=200");

        Assert.Equal(
            [("at", "info", false), ("method", "GET", false), ("path", "/api/Schlachter 1951/books", true),
             ("fwd", "1.2.3.4,5.6.7.8", true), ("status", "200", false)],
            pairs);
    }

    [Fact]
    public void MoveNext_EmptyValues_ReturnsEmptyValueNotMissing()
    {
        var pairs = Read("dyno= connect= service= status=503 bytes=");

        Assert.Equal([("dyno", "", false), ("connect", "", false), ("service", "", false), ("status", "503", false), ("bytes", "", false)], pairs);
    }

    [Fact]
    public void MoveNext_BareWord_ReturnsKeyWithoutValue()
    {
        var pairs = Read("Restarting now=1");

        Assert.Equal([("Restarting", null, false), ("now", "1", false)], pairs);
    }

    [Fact]
    public void MoveNext_EscapedQuoteInValue_KeepsEscapeAndUnescapeRemovesIt()
    {
        var reader = new LogfmtReader("desc=\"say \\\"hi\\\" now\" x=1"u8);

        Assert.True(reader.MoveNext());
        Assert.Equal("say \\\"hi\\\" now", Encoding.UTF8.GetString(reader.Value));
        Assert.Equal("say \"hi\" now", LogfmtReader.Unescape(reader.Value));
        Assert.True(reader.MoveNext());
        Assert.Equal("x", Encoding.UTF8.GetString(reader.Key));
    }

    [Fact]
    public void MoveNext_UnbalancedQuote_ValueRunsToEnd()
    {
        var pairs = Read("a=1 path=\"/never closed x=2");

        Assert.Equal([("a", "1", false), ("path", "/never closed x=2", true)], pairs);
    }

    [Fact]
    public void MoveNext_EmptyQuotedValue_ReturnsEmpty()
    {
        Assert.Equal([("fwd", "", true), ("b", "2", false)], Read("fwd=\"\" b=2"));
    }

    [Fact]
    public void MoveNext_JunkAfterClosingQuote_IsSkipped()
    {
        Assert.Equal([("a", "x", true), ("b", "2", false)], Read("a=\"x\"junk b=2"));
    }

    [Theory]
    [InlineData("source=web.1 dyno=x", true)]
    [InlineData("sample#load-avg-1m=0.01", true)]
    [InlineData("Started GET \"/\"", false)]
    [InlineData("", false)]
    [InlineData("=x", false)]
    public void LooksLikeLogfmt_Text_DetectsLeadingPair(string text, bool expected) =>
        Assert.Equal(expected, LogfmtReader.LooksLikeLogfmt(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void TryFind_PresentAndAbsentKey_FindsValue()
    {
        Assert.True(LogfmtReader.TryFind("a=1 b=\"two words\""u8, "b"u8, out var value));
        Assert.Equal("two words", Encoding.UTF8.GetString(value));
        Assert.False(LogfmtReader.TryFind("a=1"u8, "b"u8, out _));
    }

    [Fact]
    public void MoveNext_GeneratedPairs_RoundTrip()
    {
        var keyGen = Gen.Char["abcdefghijklmnopqrstuvwxyz_#0123456789"].Array[1, 12].Select(chars => new string(chars));
        var valueGen = Gen.Char["abcXYZ019 ./:,-_\"\\–é"].Array[0, 20].Select(chars => new string(chars));
        var pairsGen = Gen.Select(keyGen, valueGen).List[0, 10];

        pairsGen.Sample(pairs =>
        {
            var line = string.Join(' ', pairs.Select(p => p.Item1 + "=" + Encode(p.Item2)));
            var read = Read(line);
            Assert.Equal(pairs.Count, read.Count);
            for (var i = 0; i < pairs.Count; i++)
            {
                Assert.Equal(pairs[i].Item1, read[i].Key);
                var value = read[i].Quoted ? LogfmtReader.Unescape(Encoding.UTF8.GetBytes(read[i].Value!)) : read[i].Value;
                Assert.Equal(pairs[i].Item2, value);
            }
        }, iter: 2000);
    }

    [Fact]
    public void MoveNext_ArbitraryBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var reader = new LogfmtReader(bytes);
            var guard = 0;
            while (reader.MoveNext())
            {
                Assert.True(++guard <= bytes.Length);
            }
        }, iter: 2000);
    }

    private static string Encode(string value) =>
        value.Length == 0 || value.Contains(' ', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal)
            ? "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : value;
}
