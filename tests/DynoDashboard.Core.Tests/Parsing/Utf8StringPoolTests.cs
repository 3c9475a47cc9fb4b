using System.Text;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class Utf8StringPoolTests
{
    [Fact]
    public void Get_SameBytesTwice_ReturnsSameInstance()
    {
        var pool = new Utf8StringPool();

        var first = pool.Get("web.1"u8);
        var second = pool.Get(Encoding.UTF8.GetBytes("web.1"));

        Assert.Equal("web.1", first);
        Assert.Same(first, second);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Get_MultibyteText_DecodesUtf8()
    {
        var pool = new Utf8StringPool();

        Assert.Equal("café–1", pool.Get(Encoding.UTF8.GetBytes("café–1")));
    }

    [Fact]
    public void Get_Empty_ReturnsEmptyWithoutPooling()
    {
        var pool = new Utf8StringPool();

        Assert.Same(string.Empty, pool.Get([]));
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void Get_PastCapacity_ReturnsCorrectFreshStrings()
    {
        var pool = new Utf8StringPool(capacity: 2);
        pool.Get("a"u8);
        pool.Get("b"u8);

        var c1 = pool.Get("c"u8);
        var c2 = pool.Get("c"u8);

        Assert.Equal("c", c1);
        Assert.Equal("c", c2);
        Assert.NotSame(c1, c2);
        Assert.Equal(2, pool.Count);
        Assert.Same(pool.Get("a"u8), pool.Get("a"u8));
    }

    [Fact]
    public void Get_LongerThanPoolLimit_ReturnsFreshString()
    {
        var pool = new Utf8StringPool();
        var longText = new string('x', Utf8StringPool.MaxPooledBytes + 1);

        Assert.Equal(longText, pool.Get(Encoding.ASCII.GetBytes(longText)));
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void Get_PooledValue_DoesNotAllocate()
    {
        var pool = new Utf8StringPool();
        var bytes = "heroku.12345678.8d2b9c1e-1f2a-4c3b-9d4e-5f6a7b8c9d0e"u8.ToArray();
        pool.Get(bytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            pool.Get(bytes);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
