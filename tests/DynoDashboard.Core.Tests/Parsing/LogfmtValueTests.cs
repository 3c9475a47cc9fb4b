using System.Text;
using CsCheck;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class LogfmtValueTests
{
    [Theory]
    [InlineData("308.66MB", 308.66)]
    [InlineData("21MB", 21)]
    [InlineData("870M", 870)]
    [InlineData("0.00MB", 0)]
    [InlineData("1024kB", 1)]
    [InlineData("2048K", 2)]
    [InlineData("1GB", 1024)]
    [InlineData("512", 512)]
    public void TryParseMegabytes_SizeWithUnit_ReturnsMegabytes(string value, double expected)
    {
        Assert.True(LogfmtValue.TryParseMegabytes(Encoding.ASCII.GetBytes(value), out var mb));
        Assert.Equal(expected, mb, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MB")]
    [InlineData("12pages")]
    [InlineData("12eMB")]
    public void TryParseMegabytes_NotASize_ReturnsFalse(string value) =>
        Assert.False(LogfmtValue.TryParseMegabytes(Encoding.ASCII.GetBytes(value), out _));

    [Theory]
    [InlineData("83225pages", 83225)]
    [InlineData("4207pages", 4207)]
    [InlineData("7", 7)]
    public void TryParsePages_PageCount_ReturnsCount(string value, double expected)
    {
        Assert.True(LogfmtValue.TryParsePages(Encoding.ASCII.GetBytes(value), out var pages));
        Assert.Equal(expected, pages);
    }

    [Theory]
    [InlineData("1ms", 1)]
    [InlineData("30000ms", 30000)]
    [InlineData("0", 0)]
    public void TryParseMilliseconds_RouterTime_ReturnsMilliseconds(string value, int expected)
    {
        Assert.True(LogfmtValue.TryParseMilliseconds(Encoding.ASCII.GetBytes(value), out var ms));
        Assert.Equal(expected, ms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ms")]
    [InlineData("5s")]
    [InlineData("-1ms")]
    public void TryParseMilliseconds_EmptyOrOtherUnit_ReturnsFalse(string value) =>
        Assert.False(LogfmtValue.TryParseMilliseconds(Encoding.ASCII.GetBytes(value), out _));

    [Fact]
    public void TryParseQuantity_NumberAndUnit_SplitsThem()
    {
        Assert.True(LogfmtValue.TryParseQuantity("9876543bytes"u8, out var number, out var unit));
        Assert.Equal(9876543, number);
        Assert.Equal("bytes", Encoding.ASCII.GetString(unit));
    }

    [Fact]
    public void TryParseInt64_LargeByteCount_Parses()
    {
        Assert.True(LogfmtValue.TryParseInt64("28054625"u8, out var bytes));
        Assert.Equal(28054625, bytes);
        Assert.False(LogfmtValue.TryParseInt64(""u8, out _));
        Assert.False(LogfmtValue.TryParseInt32("503x"u8, out _));
    }

    [Fact]
    public void TryParseQuantity_GeneratedDecimals_MatchTheFrameworkParse()
    {
        // The plain-decimal fast path must give bit-identical doubles to double.Parse.
        var gen = Gen.Select(Gen.Long[0, 999_999_999_999], Gen.Int[0, 6]);
        gen.Sample((mantissa, scale) =>
        {
            var digits = mantissa.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
            var text = scale == 0 ? digits : digits[..^scale] + "." + digits[^scale..];

            Assert.True(LogfmtValue.TryParseQuantity(Encoding.ASCII.GetBytes(text + "MB"), out var number, out _));
            Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), number);
        }, iter: 5000);
    }

    [Theory]
    [InlineData("1234567890123456.5")]
    [InlineData("-2.5")]
    [InlineData("0.12345678901234567")]
    public void TryParseQuantity_BeyondTheFastPath_FallsBackToFullParse(string text)
    {
        Assert.True(LogfmtValue.TryParseQuantity(Encoding.ASCII.GetBytes(text), out var number, out _));
        Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), number);
    }
}
