using DynoDashboard.Web.Ingestion;

namespace DynoDashboard.Web.Tests.Ingestion;

public sealed class DrainBodyBuffersTests
{
    [Fact]
    public void Rent_LogplexSizedBody_ReusesTheReturnedArray()
    {
        var first = DrainBodyBuffers.Pool.Rent(102_525);
        DrainBodyBuffers.Pool.Return(first);

        var second = DrainBodyBuffers.Pool.Rent(100 * 1024);
        DrainBodyBuffers.Pool.Return(second);

        Assert.Equal(DrainBodyBuffers.LogplexSizeClass, first.Length);
        Assert.Same(first, second);
    }

    [Theory]
    [InlineData(1_024)]
    [InlineData(600_000)]
    public void Rent_OtherSizes_ComeFromTheSharedPool(int length)
    {
        var array = DrainBodyBuffers.Pool.Rent(length);
        DrainBodyBuffers.Pool.Return(array);

        Assert.True(array.Length >= length);
        Assert.NotEqual(DrainBodyBuffers.LogplexSizeClass, array.Length);
    }
}
