using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Web.Tests.Storage;

/// <summary>The history file after a failed write, on a real full filesystem: LiteDB's engine is unusable once it hit
/// ENOSPC mid-transaction, so the store reopens the file, and the retried write stores its facts once.</summary>
public sealed class ReopeningHistoryStoreTests
{
    private static readonly DynoName s_web1 = new("web.1");

    [SmallDiskFact]
    public void Write_FailsOnAFullDisk_ThenTheRetrySucceedsOnceSpaceReturns_EachReadingStoredOnce()
    {
        using var disk = SmallDisk.Mount();
        var path = Path.Combine(disk.Path, "dynodash.db");
        using var store = new ReopeningHistoryStore(() => new LiteDbHistoryStore(path, 100_000));
        var t0 = TestTime.At(10);
        store.Write([Readings(t0, 0, 30)]);

        disk.Fill();
        var retried = Readings(t0, 30, 300);
        Assert.ThrowsAny<Exception>(() => store.Write([retried]));
        Assert.Null(store.Current); // dropped: the next call opens the file afresh

        disk.Free();
        store.Write([retried]);

        // The abandoned engine's failed transaction must never reach its finalizer: in LiteDB 5.0.21 that throws on
        // the finalizer thread and ends the process (this test host with it).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var stored = store.GetSeries("app", s_web1, RuntimeMetric.MemoryRss, t0, t0.AddHours(3)).Select(p => (int)p.V);
        Assert.Equal(Enumerable.Range(0, 330), stored);
        Assert.Equal(1, store.Reopens);
    }

    [SmallDiskFact]
    public void Reads_WhileTheDiskIsFull_SeeOnlyWhatWasCommitted()
    {
        using var disk = SmallDisk.Mount();
        var path = Path.Combine(disk.Path, "dynodash.db");
        using var store = new ReopeningHistoryStore(() => new LiteDbHistoryStore(path, 100_000));
        var t0 = TestTime.At(10);
        store.Write([Readings(t0, 0, 10)]);

        disk.Fill();
        Assert.ThrowsAny<Exception>(() => store.Write([Readings(t0, 10, 300)]));

        // The failed transaction's pages are not read back as if stored.
        Assert.Equal(10, store.GetSeries("app", s_web1, RuntimeMetric.MemoryRss, t0, t0.AddHours(3)).Count);
        disk.Free();
    }

    /// <summary>Readings <paramref name="first"/> … first+count−1 of web.1, 20 s apart; the RSS is the reading number.</summary>
    private static HistoryBatch Readings(DateTimeOffset t0, int first, int count)
    {
        var batch = new HistoryBatch("app");
        for (var i = first; i < first + count; i++)
        {
            batch.Samples.Add(new SampleFact(s_web1, null, RuntimeSample.Empty(t0.AddSeconds(20 * i)) with { MemoryRssMb = i }));
        }

        return batch;
    }
}
