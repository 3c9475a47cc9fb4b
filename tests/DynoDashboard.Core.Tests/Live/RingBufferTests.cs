using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.Tests.Live;

public sealed class RingBufferTests
{
    [Fact]
    public void Ctor_ZeroCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingBuffer<int>(0));
    }

    [Fact]
    public void Add_UntilFull_KeepsInsertionOrder()
    {
        var buffer = new RingBuffer<int>(3);

        buffer.Add(1);
        buffer.Add(2);
        Assert.False(buffer.IsFull);
        buffer.Add(3);

        Assert.True(buffer.IsFull);
        Assert.Equal(3, buffer.Count);
        Assert.Equal([1, 2, 3], buffer.ToArray());
    }

    [Fact]
    public void Add_WhenFull_OverwritesOldestAndReportsIt()
    {
        var evicted = new List<int>();
        var buffer = new RingBuffer<int>(3, evicted.Add);

        for (var i = 1; i <= 5; i++)
        {
            buffer.Add(i);
        }

        Assert.Equal([3, 4, 5], buffer.ToArray());
        Assert.Equal([1, 2], evicted);
        Assert.Equal(3, buffer[0]);
        Assert.Equal(5, buffer[2]);
    }

    [Fact]
    public void Add_CapacityOne_KeepsOnlyNewest()
    {
        var buffer = new RingBuffer<string>(1);

        buffer.Add("a");
        buffer.Add("b");

        Assert.Equal(["b"], buffer.ToArray());
    }

    [Fact]
    public void Add_BeyondInitialArray_GrowsUpToCapacityOnly()
    {
        var buffer = new RingBuffer<int>(100);

        for (var i = 0; i < 250; i++)
        {
            buffer.Add(i);
        }

        Assert.Equal(100, buffer.Count);
        Assert.Equal(Enumerable.Range(150, 100), buffer.ToArray());
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var buffer = new RingBuffer<int>(4);
        buffer.Add(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer[-1]);
    }

    [Fact]
    public void Indexer_SetAfterWrap_ReplacesLogicalItem()
    {
        var buffer = new RingBuffer<int>(3);
        for (var i = 0; i < 5; i++)
        {
            buffer.Add(i);
        }

        buffer[0] = 42;

        Assert.Equal([42, 3, 4], buffer.ToArray());
    }

    [Fact]
    public void Insert_Late_KeepsOrder()
    {
        var buffer = new RingBuffer<int>(5);
        buffer.Add(10);
        buffer.Add(30);

        Assert.True(buffer.Insert(1, 20));

        Assert.Equal([10, 20, 30], buffer.ToArray());
    }

    [Fact]
    public void Insert_WhenFull_DropsOldestAndKeepsOrder()
    {
        var evicted = new List<int>();
        var buffer = new RingBuffer<int>(3, evicted.Add);
        buffer.Add(10);
        buffer.Add(20);
        buffer.Add(40);

        Assert.True(buffer.Insert(2, 30));

        Assert.Equal([20, 30, 40], buffer.ToArray());
        Assert.Equal([10], evicted);
    }

    [Fact]
    public void Insert_AtFrontWhenFull_ReturnsFalseAndChangesNothing()
    {
        var buffer = new RingBuffer<int>(2);
        buffer.Add(10);
        buffer.Add(20);

        Assert.False(buffer.Insert(0, 5));

        Assert.Equal([10, 20], buffer.ToArray());
    }

    [Fact]
    public void Insert_IndexBeyondCount_Throws()
    {
        var buffer = new RingBuffer<int>(2);

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Insert(1, 1));
    }

    [Fact]
    public void CopyTo_WindowAcrossWrap_CopiesLogicalRange()
    {
        var buffer = new RingBuffer<int>(4);
        for (var i = 0; i < 7; i++)
        {
            buffer.Add(i);
        }

        // Logical [3,4,5,6]; physically wrapped.
        Assert.Equal([4, 5], buffer.ToArray(1, 2));
        Assert.Equal([3, 4, 5, 6], buffer.ToArray(0, 4));
        Assert.Empty(buffer.ToArray(4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.ToArray(2, 3));
    }

    [Fact]
    public void Clear_AfterWrap_EmptiesAndAcceptsNewItems()
    {
        var buffer = new RingBuffer<int>(3);
        for (var i = 0; i < 5; i++)
        {
            buffer.Add(i);
        }

        buffer.Clear();
        buffer.Add(9);

        Assert.Equal([9], buffer.ToArray());
    }

    [Fact]
    public void Enumerator_AfterWrap_YieldsOldestToNewest()
    {
        var buffer = new RingBuffer<int>(3);
        for (var i = 0; i < 8; i++)
        {
            buffer.Add(i);
        }

        var seen = new List<int>();
        foreach (var item in buffer)
        {
            seen.Add(item);
        }

        Assert.Equal([5, 6, 7], seen);
        Assert.Equal([5, 6, 7], buffer.Select(x => x));
    }

    /// <summary>Small capacities (every head position) and ones past the initial array (growth while wrapped):
    /// random adds and inserts keep the buffer equal to a plain list model.</summary>
    [Fact]
    public void AddAndInsert_AllWrapPositions_MatchListModel()
    {
        var random = new Random(12345);
        foreach (var capacity in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 33 })
        {
            for (var run = 0; run < 200; run++)
            {
                var evicted = new List<int>();
                var buffer = new RingBuffer<int>(capacity, evicted.Add);
                var model = new List<int>();
                var modelEvicted = new List<int>();
                var next = 0;
                for (var step = 0; step < (capacity * 4) + 10; step++)
                {
                    var value = next++;
                    if (random.Next(3) == 0)
                    {
                        var index = random.Next(model.Count + 1);
                        var inserted = buffer.Insert(index, value);
                        if (model.Count == capacity && index == 0)
                        {
                            Assert.False(inserted);
                        }
                        else
                        {
                            Assert.True(inserted);
                            model.Insert(index, value);
                            if (model.Count > capacity)
                            {
                                modelEvicted.Add(model[0]);
                                model.RemoveAt(0);
                            }
                        }
                    }
                    else
                    {
                        buffer.Add(value);
                        model.Add(value);
                        if (model.Count > capacity)
                        {
                            modelEvicted.Add(model[0]);
                            model.RemoveAt(0);
                        }
                    }

                    Assert.Equal(model, buffer.ToArray());
                    Assert.Equal(model.Count, buffer.Count);
                    Assert.Equal(model.Count == capacity, buffer.IsFull);
                    Assert.Equal(modelEvicted, evicted);
                    for (var i = 0; i < model.Count; i++)
                    {
                        Assert.Equal(model[i], buffer[i]);
                    }

                    if (model.Count > 0)
                    {
                        var start = random.Next(model.Count);
                        var count = random.Next(model.Count - start + 1);
                        Assert.Equal(model.GetRange(start, count), buffer.ToArray(start, count));
                    }
                }
            }
        }
    }
}
