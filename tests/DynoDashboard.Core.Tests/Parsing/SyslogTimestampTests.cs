using System.Globalization;
using System.Text;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class SyslogTimestampTests
{
    [Theory]
    [InlineData("2025-08-08T06:58:53.550240+00:00", "2025-08-08T06:58:53.5502400+00:00")]
    [InlineData("2017-08-28T08:36:13+00:00", "2017-08-28T08:36:13.0000000+00:00")]
    [InlineData("2022-03-01T12:35:00.66229+00:00", "2022-03-01T12:35:00.6622900+00:00")]
    [InlineData("2022-03-01T12:35:00.5+00:00", "2022-03-01T12:35:00.5000000+00:00")]
    [InlineData("2021-11-27T09:39:00.000000+00:00", "2021-11-27T09:39:00.0000000+00:00")]
    [InlineData("2012-06-01T10:00:00.123-07:00", "2012-06-01T10:00:00.1230000-07:00")]
    [InlineData("2024-02-29T23:59:59.123456789Z", "2024-02-29T23:59:59.1234567+00:00")]
    [InlineData("2024-01-01T00:00:00+05:30", "2024-01-01T00:00:00.0000000+05:30")]
    public void TryParse_Rfc3339_ReturnsInstantAndOffset(string text, string expected)
    {
        Assert.True(SyslogTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out var timestamp));
        Assert.Equal(DateTimeOffset.ParseExact(expected, "o", CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(DateTimeOffset.ParseExact(expected, "o", CultureInfo.InvariantCulture).Offset, timestamp.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("2025-08-08T06:58:53")]
    [InlineData("2025-08-08T06:58:53.+00:00")]
    [InlineData("2025-13-08T06:58:53+00:00")]
    [InlineData("2023-02-29T06:58:53+00:00")]
    [InlineData("2025-08-08T24:58:53+00:00")]
    [InlineData("2025-08-08T06:58:53+15:00")]
    [InlineData("2025-08-08T06:58:53+00:00x")]
    [InlineData("2025-08-08T06:58:53.1234567890+00:00")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("0000-01-01T00:00:00Z")]
    public void TryParse_Malformed_ReturnsFalseWithoutThrowing(string text) =>
        Assert.False(SyslogTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out _));
}
