using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

/// <summary>
/// Batches reused through <see cref="HistoryBatchPool"/>: a reused batch starts empty and never hands on a fact of
/// the batch before it, line lists move without copying, and the pool keeps at most its bound.
/// </summary>
public sealed class HistoryBatchPoolTests
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;

    [Fact]
    public void Rent_AfterReturn_ReusesTheBatchEmptyWithNothingOfTheLastOne()
    {
        var pool = new HistoryBatchPool();
        var tee = new HistoryTee(pool: pool);
        var first = Fill(tee, "first-app", 0);
        first.JournalPosition = 42;
        var lines = first.TakeLines(pool)!;
        Assert.Equal(3, lines.Lines.Count);
        Assert.Equal(42, lines.JournalPosition);
        pool.Return(first);
        pool.Return(lines);

        var live = new LiveStore(new LiveStoreOptions()).GetWriter("second-app");
        var sink = tee.Begin("second-app", live);
        TestLines.Load(sink, s_t0.AddMinutes(5), "worker.1", 0.5);
        var second = tee.End();

        Assert.True(ReferenceEquals(second, first) || ReferenceEquals(second, lines), "the batch was not reused");
        Assert.Equal("second-app", second.App);
        Assert.Equal(0, second.JournalPosition);
        var sample = Assert.Single(second.Samples);
        Assert.Equal("worker.1", sample.Dyno.ToString());
        Assert.Empty(second.Requests);
        Assert.Empty(second.Events);
        Assert.Empty(second.Lines);
        Assert.Null(second.TakeLines(pool));
    }

    [Fact]
    public void TakeLines_SwapsLists_BothBatchesKeepTheirOwn()
    {
        var pool = new HistoryBatchPool();
        var batch = Fill(new HistoryTee(pool: pool), "myapp", 0);
        var taken = batch.Lines;

        var lines = batch.TakeLines(pool)!;

        Assert.Same(taken, lines.Lines); // moved, not copied
        Assert.NotSame(lines.Lines, batch.Lines);
        Assert.Empty(batch.Lines);
        Assert.Equal(3, lines.Count);
        Assert.Equal(4, batch.Count); // the sample, both requests and the H12's event stay
        Assert.Single(batch.Events);
    }

    [Fact]
    public void Return_KeepsAtMostMaxKept()
    {
        var pool = new HistoryBatchPool(maxKept: 3);
        for (var i = 0; i < 10; i++)
        {
            pool.Return(new HistoryBatch("myapp"));
        }

        Assert.Equal(3, pool.Count);
        for (var i = 0; i < 5; i++)
        {
            pool.Rent("myapp");
        }

        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void Return_OversizedBatch_IsNotKept()
    {
        var pool = new HistoryBatchPool(maxKeptCapacity: 64);
        var big = new HistoryBatch("myapp");
        big.Requests.Capacity = 100;
        pool.Return(big);
        Assert.Equal(0, pool.Count);
        Assert.NotSame(big, pool.Rent("myapp"));
    }

    /// <summary>One sample, two router requests (one an H12, so also an event), three app lines.</summary>
    private static HistoryBatch Fill(HistoryTee tee, string app, int minute)
    {
        var live = new LiveStore(new LiveStoreOptions()).GetWriter(app);
        var sink = tee.Begin(app, live);
        var time = s_t0.AddMinutes(minute);
        TestLines.Load(sink, time, "web.1", 1.5);
        TestLines.Router(sink, time, "web.1", status: 200);
        TestLines.Router(sink, time, "web.1", status: 503, code: TestLines.H12);
        for (var i = 0; i < 3; i++)
        {
            TestLines.App(sink, time.AddSeconds(i), "web.1", $"line {i}");
        }

        return tee.End();
    }
}
