using DynoDashboard.Web.Api;

namespace DynoDashboard.Web.Tests.Api;

public sealed class LogCsvTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("-5", "-5")]
    [InlineData("", "")]
    public void Escape_QuotesPerRfc4180_AndDefusesSpreadsheetFormulas(string field, string expected) =>
        Assert.Equal(expected, LogCsv.Escape(field));
}
