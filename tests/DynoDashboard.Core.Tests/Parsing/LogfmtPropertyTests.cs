using System.Text;
using CsCheck;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

/// <summary>
/// Property tests beyond <see cref="LogfmtReaderTests"/>' ASCII round trip: any Unicode value (tabs, quotes,
/// backslashes, emoji) survives quoting; <see cref="LogfmtReader.TryFind"/> agrees with a full walk; and the frame
/// reader and the parser agree on frame counts for any bytes (the invariant the SharpFuzz harness checks).
/// </summary>
public sealed class LogfmtPropertyTests
{
    private static readonly Gen<string> s_key = Gen.Char["abcdefghijklmnopqrstuvwxyz_#.-/0123456789"].Array[1, 16].Select(c => new string(c));

    // Any scalar value from the Basic Multilingual Plane (no lone surrogates: they cannot be UTF-8), plus tabs,
    // and astral characters as surrogate pairs.
    private static readonly Gen<string> s_value = Gen.OneOf(
            Gen.Char[' ', '\uD7FF'].Select(c => c.ToString()),
            Gen.Const("\t"), Gen.Const("\""), Gen.Const("\\"), Gen.Const("🚀"), Gen.Const("="))
        .Array[0, 24].Select(parts => string.Concat(parts));

    [Fact]
    public void MoveNext_UnicodeValuesQuoted_RoundTripThroughUnescape()
    {
        Gen.Select(s_key, s_value).List[1, 8].Sample(pairs =>
        {
            var line = string.Join(' ', pairs.Select(p => $"{p.Item1}=\"{Escape(p.Item2)}\""));
            var reader = new LogfmtReader(Encoding.UTF8.GetBytes(line));
            foreach (var (key, value) in pairs)
            {
                Assert.True(reader.MoveNext());
                Assert.True(reader.IsQuoted);
                Assert.Equal(key, Encoding.UTF8.GetString(reader.Key));
                Assert.Equal(value, LogfmtReader.Unescape(reader.Value));
            }

            Assert.False(reader.MoveNext());
        }, iter: 3000);
    }

    [Fact]
    public void TryFind_GeneratedLines_AgreesWithTheFirstPairOfAWalk()
    {
        var plainValue = Gen.Char["abcXYZ0189.:,-_%"].Array[0, 12].Select(c => new string(c));
        Gen.Select(Gen.Select(s_key, plainValue).List[0, 10], s_key).Sample((pairs, probe) =>
        {
            var line = Encoding.UTF8.GetBytes(string.Join(' ', pairs.Select(p => p.Item1 + "=" + p.Item2)));
            var expected = pairs.FirstOrDefault(p => p.Item1 == probe);

            var found = LogfmtReader.TryFind(line, Encoding.UTF8.GetBytes(probe), out var value);

            Assert.Equal(expected.Item1 is not null, found);
            if (found)
            {
                Assert.Equal(expected.Item2, Encoding.UTF8.GetString(value));
            }
        }, iter: 3000);
    }

    [Fact]
    public void LooksLikeLogfmt_GeneratedPairsAndArbitraryBytes_TrueForPairsAndNeverThrows()
    {
        Gen.Select(s_key, s_value).Sample((key, value) =>
            Assert.True(LogfmtReader.LooksLikeLogfmt(Encoding.UTF8.GetBytes($"{key}=\"{Escape(value)}\" rest"))), iter: 1000);
        Gen.Byte.Array[0, 200].Sample(bytes => { _ = LogfmtReader.LooksLikeLogfmt(bytes); }, iter: 2000);
    }

    [Fact]
    public void ParseLogplexBody_ArbitraryBytes_FrameCountAgreesWithTheFrameReader()
    {
        var parser = new HerokuLogParser();
        var frame = Gen.OneOf(
            Gen.Byte.Array[0, 60],
            Gen.Const("57 <190>1 2026-11-26T10:00:00+00:00 host app web.1 - hello\n"u8.ToArray()),
            Gen.Const("-3 "u8.ToArray()),
            Gen.Const("<134>1 "u8.ToArray()));
        frame.Array[0, 12].Select(parts => parts.SelectMany(p => p).ToArray()).Sample(body =>
        {
            var reader = new LogplexFrameReader(body);
            var frames = 0;
            while (reader.TryRead(out _))
            {
                frames++;
            }

            var sink = new RecordingSink();
            Assert.Equal(frames, parser.ParseLogplexBody(body, ref sink).Frames);
        }, iter: 3000);
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
