using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.Tests.Live;

public sealed class LiveFeedTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Publish_BurstWhileCallbackRuns_OneTrailingCallbackThatSeesTheLastPublish()
    {
        var feed = new LiveFeed(TimeSpan.FromMilliseconds(1));
        var published = 0;
        var calls = 0;
        var firstEntered = NewSignal();
        var releaseFirst = NewSignal();
        var sawLast = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = feed.Subscribe("app", async () =>
        {
            var call = Interlocked.Increment(ref calls);
            var seen = Volatile.Read(ref published);
            if (call == 1)
            {
                firstEntered.TrySetResult();
                await releaseFirst.Task;
            }
            else if (seen == 1_000)
            {
                sawLast.TrySetResult(call);
            }
        });

        Volatile.Write(ref published, 1);
        feed.Publish("app");
        await firstEntered.Task.WaitAsync(s_timeout);
        for (var i = 2; i <= 1_000; i++)
        {
            Volatile.Write(ref published, i);
            feed.Publish("app");
        }

        releaseFirst.SetResult();

        Assert.Equal(2, await sawLast.Task.WaitAsync(s_timeout));
        Assert.Equal(2, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task Publish_WithinMinInterval_DeferredUntilIntervalElapses()
    {
        var time = new ManualTimeProvider();
        var feed = new LiveFeed(TimeSpan.FromMilliseconds(250), time: time);
        var calls = new CallCounter();
        using var subscription = feed.Subscribe("app", calls.Invoke);

        feed.Publish("app");
        await calls.WaitForAsync(1);
        feed.Publish("app");
        feed.Publish("app");
        await time.WaitForTimerAsync();

        time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.Equal(1, calls.Count);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await calls.WaitForAsync(2);
    }

    [Fact]
    public async Task Publish_AfterIntervalPassed_RunsWithoutWaiting()
    {
        var time = new ManualTimeProvider();
        var feed = new LiveFeed(TimeSpan.FromMilliseconds(250), time: time);
        var calls = new CallCounter();
        using var subscription = feed.Subscribe(null, calls.Invoke);

        feed.Publish("app");
        await calls.WaitForAsync(1);
        time.Advance(TimeSpan.FromSeconds(1));
        feed.Publish("other");

        await calls.WaitForAsync(2);
    }

    [Fact]
    public async Task Dispose_ThenPublish_NoMoreCallbacks()
    {
        var time = new ManualTimeProvider();
        var feed = new LiveFeed(TimeSpan.FromMilliseconds(250), time: time);
        var stopped = new CallCounter();
        var sentinel = new CallCounter();
        var subscription = feed.Subscribe("app", stopped.Invoke);
        using var other = feed.Subscribe("app", sentinel.Invoke);
        feed.Publish("app");
        await stopped.WaitForAsync(1);
        await sentinel.WaitForAsync(1);

        subscription.Dispose();
        feed.Publish("app");
        await time.WaitForTimerAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        await sentinel.WaitForAsync(2);

        Assert.Equal(1, stopped.Count);
        Assert.Equal(1, ((LiveFeed.Subscription)subscription).Notifications);
        Assert.Equal(1, feed.SubscriptionCount);
    }

    [Fact]
    public async Task Dispose_WhileWaitingForInterval_PendingCallbackCancelled()
    {
        var time = new ManualTimeProvider();
        var feed = new LiveFeed(TimeSpan.FromMilliseconds(250), time: time);
        var stopped = new CallCounter();
        var sentinel = new CallCounter();
        var subscription = feed.Subscribe("app", stopped.Invoke);
        feed.Publish("app");
        await stopped.WaitForAsync(1);
        feed.Publish("app");
        await time.WaitForTimerAsync();

        subscription.Dispose();
        using var other = feed.Subscribe("app", sentinel.Invoke);
        time.Advance(TimeSpan.FromSeconds(1));
        feed.Publish("app");
        await sentinel.WaitForAsync(1);

        Assert.Equal(1, stopped.Count);
    }

    [Fact]
    public void Dispose_Twice_IsSafe()
    {
        var feed = new LiveFeed();
        var subscription = feed.Subscribe("app", () => Task.CompletedTask);

        subscription.Dispose();
        subscription.Dispose();

        Assert.Equal(0, feed.SubscriptionCount);
    }

    [Fact]
    public async Task Publish_ThrowingCallback_ReportedAndOtherSubscribersStillCalled()
    {
        var errors = new List<Exception>();
        var reported = NewSignal();
        var feed = new LiveFeed(TimeSpan.Zero, onCallbackError: ex =>
        {
            lock (errors)
            {
                errors.Add(ex);
            }

            reported.TrySetResult();
        });
        var healthy = new CallCounter();
        using var failing = feed.Subscribe("app", () => throw new InvalidOperationException("page gone"));
        using var other = feed.Subscribe("app", healthy.Invoke);

        feed.Publish("app");
        await reported.Task.WaitAsync(s_timeout);
        await healthy.WaitForAsync(1);
        feed.Publish("app");
        await healthy.WaitForAsync(2);

        lock (errors)
        {
            Assert.IsType<InvalidOperationException>(errors[0]);
        }
    }

    [Fact]
    public async Task Publish_FaultedTask_Reported()
    {
        var reported = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var feed = new LiveFeed(onCallbackError: ex => reported.TrySetResult(ex));
        using var subscription = feed.Subscribe("app", async () =>
        {
            await Task.Yield();
            throw new TimeoutException("circuit slow");
        });

        feed.Publish("app");

        Assert.IsType<TimeoutException>(await reported.Task.WaitAsync(s_timeout));
    }

    [Fact]
    public async Task Publish_OneApp_OnlyMatchingAndAnyAppSubscriptionsNotified()
    {
        var feed = new LiveFeed(TimeSpan.Zero);
        var forA = new CallCounter();
        var forB = new CallCounter();
        var star = new CallCounter();
        var any = new CallCounter();
        using var a = feed.Subscribe("a", forA.Invoke);
        using var b = feed.Subscribe("b", forB.Invoke);
        using var s = feed.Subscribe(LiveFeed.AnyApp, star.Invoke);
        using var n = feed.Subscribe(null, any.Invoke);

        feed.Publish("a");
        await forA.WaitForAsync(1);
        await star.WaitForAsync(1);
        await any.WaitForAsync(1);

        Assert.Equal(0, ((LiveFeed.Subscription)b).Notifications);
        Assert.Equal(0, forB.Count);
    }

    [Fact]
    public async Task Publish_FromAnotherContext_CallbackRunsInSubscribersContext()
    {
        var feed = new LiveFeed(TimeSpan.Zero);
        var page = new AsyncLocal<string>();
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Value = "subscriber";
        using var subscription = feed.Subscribe("app", () =>
        {
            seen.TrySetResult(page.Value);
            return Task.CompletedTask;
        });

        await Task.Run(() =>
        {
            page.Value = "ingestion";
            feed.Publish("app");
        });

        Assert.Equal("subscriber", await seen.Task.WaitAsync(s_timeout));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Counts callback runs and lets a test await the n-th one.</summary>
    private sealed class CallCounter
    {
        private readonly Lock _lock = new();
        private readonly List<(int Target, TaskCompletionSource Signal)> _waiters = [];
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task Invoke()
        {
            var count = Interlocked.Increment(ref _count);
            lock (_lock)
            {
                foreach (var (target, signal) in _waiters)
                {
                    if (count >= target)
                    {
                        signal.TrySetResult();
                    }
                }
            }

            return Task.CompletedTask;
        }

        public Task WaitForAsync(int count)
        {
            var signal = NewSignal();
            lock (_lock)
            {
                if (Count >= count)
                {
                    return Task.CompletedTask;
                }

                _waiters.Add((count, signal));
            }

            return signal.Task.WaitAsync(s_timeout);
        }
    }
}
