using DynoDashboard.Web.Ingestion;

namespace DynoDashboard.Web.Tests.Ingestion;

public sealed class DrainBodyBuffersTests
{
    [Fact]
    public void Rent_LogplexSizedBody_ReusesTheReturnedArray()
    {
        var pool = new DrainBodyBuffers(); // not the shared instance: other tests rent from that in parallel
        var first = pool.Rent(102_525);
        pool.Return(first);

        var second = pool.Rent(100 * 1024);
        pool.Return(second);

        Assert.Equal(DrainBodyBuffers.LogplexSizeClass, first.Length);
        Assert.Same(first, second);
    }

    [Theory]
    [InlineData(1_024)]
    [InlineData(600_000)]
    public void Rent_OtherSizes_ComeFromTheSharedPool(int length)
    {
        var pool = new DrainBodyBuffers();
        var array = pool.Rent(length);
        pool.Return(array);

        Assert.True(array.Length >= length);
        Assert.NotEqual(DrainBodyBuffers.LogplexSizeClass, array.Length);
    }
}
