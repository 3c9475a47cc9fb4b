using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Ingestion;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Tests.Ingestion;

public sealed class RecentFrameIdsTests
{
    [Fact]
    public void TryAdd_SameIdTwice_SecondIsADuplicate()
    {
        var ids = new RecentFrameIds(Options.Create(new IngestOptions { RecentFrameIdsPerApp = 10 }));

        Assert.True(ids.TryAdd("app", "A"));
        Assert.False(ids.TryAdd("app", "A"));
        Assert.True(ids.TryAdd("other", "A"));
    }

    [Fact]
    public void TryAdd_MoreIdsThanCapacity_ForgetsTheOldest()
    {
        var ids = new RecentFrameIds(Options.Create(new IngestOptions { RecentFrameIdsPerApp = 3 }));
        foreach (var id in new[] { "A", "B", "C", "D" })
        {
            Assert.True(ids.TryAdd("app", id));
        }

        Assert.True(ids.TryAdd("app", "A"));   // forgotten, so accepted again
        Assert.False(ids.TryAdd("app", "D"));  // still remembered
    }

    [Fact]
    public void TryAdd_ManyApps_KeepsAtMostMaxApps()
    {
        var ids = new RecentFrameIds(Options.Create(new IngestOptions { RecentFrameIdsPerApp = 2 }));

        for (var i = 0; i < RecentFrameIds.MaxApps * 3; i++)
        {
            ids.TryAdd($"app-{i}", "A");
        }

        Assert.True(ids.AppCount <= RecentFrameIds.MaxApps);
    }

    [Fact]
    public void Remove_ForgetsARefusedBatch_SoItsRetryIsAccepted()
    {
        var ids = new RecentFrameIds(Options.Create(new IngestOptions { RecentFrameIdsPerApp = 10 }));
        ids.TryAdd("app", "A");

        ids.Remove("app", "A");

        Assert.True(ids.TryAdd("app", "A"));
    }
}
