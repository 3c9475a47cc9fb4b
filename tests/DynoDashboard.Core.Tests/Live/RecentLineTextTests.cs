using System.Text;
using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.Tests.Live;

public sealed class RecentLineTextTests
{
    [Fact]
    public void Decode_AfterGrowingAndWrapping_ReturnsEveryIntactLineExactly()
    {
        // 4 lines of budget = 1,536 bytes: the array grows, then wraps many times.
        var text = new RecentLineText(lines: 4);
        var kept = new List<(TextRef Ref, string Text)>();
        for (var i = 0; i < 200; i++)
        {
            var line = $"line {i} – {new string('x', i * 7 % 300)}";
            kept.Add((text.Append(Encoding.UTF8.GetBytes(line)), line));
        }

        var intact = kept.Where(k => text.IsIntact(k.Ref)).ToList();
        Assert.NotEmpty(intact);
        Assert.True(text.IsIntact(kept[^1].Ref));
        Assert.False(text.IsIntact(kept[0].Ref));
        Assert.All(intact, k => Assert.Equal(k.Text, text.Decode(k.Ref)));
        Assert.Equal(string.Empty, text.Decode(kept[0].Ref));
    }

    [Fact]
    public void Append_LongerThanTheBudget_KeepsTheStart()
    {
        var text = new RecentLineText(lines: 1);
        var line = new string('a', RecentLineText.BytesPerLine) + "tail";

        var stored = text.Append(Encoding.UTF8.GetBytes(line));

        Assert.Equal(line[..RecentLineText.BytesPerLine], text.Decode(stored));
    }

    [Fact]
    public void Decode_EmptyLine_IsEmpty()
    {
        var text = new RecentLineText(lines: 10);
        Assert.Equal(string.Empty, text.Decode(text.Append([])));
    }
}
