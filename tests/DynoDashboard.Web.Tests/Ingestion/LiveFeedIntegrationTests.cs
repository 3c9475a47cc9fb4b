using DynoDashboard.Core.Live;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Ingestion;

public sealed class LiveFeedIntegrationTests
{
    [Fact]
    public async Task PostedBatch_NotifiesSubscribersOfThatApp_AfterTheStoreHasIt()
    {
        using var factory = new DashboardFactory();
        var feed = factory.Services.GetRequiredService<LiveFeed>();
        var store = factory.Services.GetRequiredService<LiveStore>();
        var notified = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherApp = 0;
        using var subscription = feed.Subscribe("myapp", () =>
        {
            // Read in the callback, as a page would: the data must already be there.
            notified.TrySetResult(store.GetDynos("myapp")?.Count ?? -1);
            return Task.CompletedTask;
        });
        using var other = feed.Subscribe("other-app", () =>
        {
            Interlocked.Increment(ref otherApp);
            return Task.CompletedTask;
        });

        await factory.PostLogplexAndWaitAsync("myapp",
            new LogplexBody().Router(DateTimeOffset.UtcNow, "web.1").Router(DateTimeOffset.UtcNow, "web.2"));

        Assert.Equal(2, await notified.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, Volatile.Read(ref otherApp));
    }
}
