using System.Text;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class ErrorCatalogTests
{
    [Fact]
    public void All_HoldsFortyCodes_TwentySixRouterEightRuntimeSixLogging()
    {
        Assert.Equal(40, ErrorCatalog.All.Count);
        Assert.Equal(26, ErrorCatalog.All.Count(c => c.Family == ErrorFamily.Router && c.Code[0] == 'H'));
        Assert.Equal(8, ErrorCatalog.All.Count(c => c.Family == ErrorFamily.Runtime && c.Code[0] == 'R'));
        Assert.Equal(6, ErrorCatalog.All.Count(c => c.Family == ErrorFamily.Logging && c.Code[0] == 'L'));
        Assert.Equal(40, ErrorCatalog.All.Select(c => c.Code).Distinct().Count());
    }

    [Fact]
    public void All_EveryCode_HasTitleAndMeaning()
    {
        Assert.All(ErrorCatalog.All, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Title));
            Assert.False(string.IsNullOrWhiteSpace(c.Meaning));
        });
    }

    [Fact]
    public void TryGet_EveryCodeByBytesAndString_ReturnsTheSameInstance()
    {
        foreach (var info in ErrorCatalog.All)
        {
            Assert.True(ErrorCatalog.TryGet(Encoding.ASCII.GetBytes(info.Code), out var fromBytes));
            Assert.True(ErrorCatalog.TryGet(info.Code, out var fromString));
            Assert.Same(info, fromBytes);
            Assert.Same(info, fromString);
        }
    }

    [Theory]
    [InlineData("R11")]
    [InlineData("H33")]
    [InlineData("h12")]
    [InlineData("X10")]
    [InlineData("H1")]
    [InlineData("H120")]
    [InlineData("")]
    public void TryGet_UnknownOrMalformedCode_ReturnsFalse(string code)
    {
        Assert.False(ErrorCatalog.TryGet(code, out _));
        Assert.False(ErrorCatalog.TryGet(Encoding.UTF8.GetBytes(code), out _));
    }

    [Fact]
    public void TryGet_Null_ReturnsFalse() => Assert.False(ErrorCatalog.TryGet((string?)null, out _));

    [Theory]
    [InlineData("H12", "Request timeout")]
    [InlineData("H14", "No web dynos running")]
    [InlineData("R14", "Memory quota exceeded")]
    [InlineData("L10", "Drain buffer overflow")]
    public void TryGet_KnownCode_HasDocumentedTitle(string code, string title)
    {
        Assert.True(ErrorCatalog.TryGet(code, out var info));
        Assert.Equal(title, info.Title);
    }
}
