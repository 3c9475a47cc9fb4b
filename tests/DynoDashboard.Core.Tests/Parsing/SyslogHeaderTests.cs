using System.Text;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class SyslogHeaderTests
{
    private static string S(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    [Fact]
    public void TryParse_HttpsDrainForm_ReadsEveryPartAndStripsLf()
    {
        var frame = "<158>1 2022-03-01T12:34:56.789012+00:00 host heroku router - at=info method=GET\n"u8;

        Assert.True(SyslogHeader.TryParse(frame, out var header, out var reason));
        Assert.Null(reason);
        Assert.Equal(158, header.Priority);
        Assert.Equal(new DateTimeOffset(2022, 3, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(7890120), header.Timestamp);
        Assert.Equal("host", S(header.Host));
        Assert.Equal("heroku", S(header.AppName));
        Assert.Equal("router", S(header.ProcId));
        Assert.Equal("at=info method=GET", S(header.Message));
    }

    [Fact]
    public void TryParse_SyslogDrainFormWithNilSd_SkipsSd()
    {
        var frame = "<134>1 2023-01-16T19:25:43.390224+00:00 d.9a8b7c6d-1111-2222-3333-444455556666 heroku web.1 - - Restarting\n"u8;

        Assert.True(SyslogHeader.TryParse(frame, out var header, out _));
        Assert.Equal("d.9a8b7c6d-1111-2222-3333-444455556666", S(header.Host));
        Assert.Equal("Restarting", S(header.Message));
    }

    [Fact]
    public void TryParse_SyslogDrainFormWithSdElement_SkipsIt()
    {
        var frame = "<134>1 2023-01-16T19:25:43Z d.token app web.1 - [meta a=\"1\\]\\\"\"] hello"u8;

        Assert.True(SyslogHeader.TryParse(frame, out var header, out _));
        Assert.Equal("hello", S(header.Message));
    }

    [Fact]
    public void TryParse_HttpsFormMessageStartingWithDash_KeepsMessage()
    {
        var frame = "<190>1 2023-01-16T19:25:43Z host app web.1 - - item one\n"u8;

        Assert.True(SyslogHeader.TryParse(frame, out var header, out _));
        Assert.Equal("- item one", S(header.Message));
    }

    [Theory]
    [InlineData("<190>1 2023-01-16T19:25:43.390224+00:00 host app dramatiqworker.2 - \n")]
    [InlineData("<190>1 2023-01-16T19:25:43.390224+00:00 host app dramatiqworker.2 -\n")]
    [InlineData("<190>1 2023-01-16T19:25:43.390224+00:00 host app dramatiqworker.2 -")]
    public void TryParse_EmptyMessage_ReturnsEmptyMessage(string frame)
    {
        Assert.True(SyslogHeader.TryParse(Encoding.ASCII.GetBytes(frame), out var header, out _));
        Assert.Equal("dramatiqworker.2", S(header.ProcId));
        Assert.True(header.Message.IsEmpty);
    }

    [Fact]
    public void TryParse_CrLfEnding_StripsBoth()
    {
        Assert.True(SyslogHeader.TryParse("<190>1 2023-01-16T19:25:43Z host app web.1 - hi\r\n"u8, out var header, out _));
        Assert.Equal("hi", S(header.Message));
    }

    [Fact]
    public void TryParse_OnlyOneTrailingLfStripped_KeepsInnerLf()
    {
        Assert.True(SyslogHeader.TryParse("<190>1 2023-01-16T19:25:43Z host app web.1 - hi\n\n"u8, out var header, out _));
        Assert.Equal("hi\n", S(header.Message));
    }

    [Theory]
    [InlineData("", "not-syslog")]
    [InlineData("hello world", "not-syslog")]
    [InlineData("<190>2 2023-01-16T19:25:43Z host app web.1 - hi", "not-syslog")]
    [InlineData("<1900>1 2023-01-16T19:25:43Z host app web.1 - hi", "not-syslog")]
    [InlineData("<190>1 2023-01-16T19:25:43Z host app", "not-syslog")]
    [InlineData("<190>1 yesterday host app web.1 - hi", "bad-timestamp")]
    public void TryParse_NotSyslog_ReturnsFalseWithReason(string frame, string expectedReason)
    {
        Assert.False(SyslogHeader.TryParse(Encoding.ASCII.GetBytes(frame), out _, out var reason));
        Assert.Equal(expectedReason, reason);
    }
}
