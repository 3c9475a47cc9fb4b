using DynoDashboard.Core.Analysis;

namespace DynoDashboard.Core.Tests.Analysis;

public sealed class ChartWindowTests
{
    [Theory]
    [InlineData("15m", 15)]
    [InlineData("1h", 60)]
    [InlineData("6H", 360)]
    [InlineData("24h", 1440)]
    [InlineData("7d", 60)]
    [InlineData(null, 60)]
    public void Parse_Label_WindowOrFallback(string? label, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), ChartWindow.Parse(label, ChartWindow.OneHour).Span);

    [Fact]
    public void Label_AllWindows_RoundTrip() =>
        Assert.Equal(["15m", "1h", "6h", "24h"], ChartWindow.All.Select(w => w.Label));

    [Fact]
    public void EndingAt_End_SpanBeforeIt()
    {
        var end = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal((end.AddMinutes(-15), end), ChartWindow.FifteenMinutes.EndingAt(end));
    }
}
