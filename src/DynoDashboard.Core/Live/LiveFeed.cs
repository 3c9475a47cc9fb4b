namespace DynoDashboard.Core.Live;

/// <summary>
/// Coalesced per-app change notifications from the ingestion service to live pages. The publisher calls
/// <see cref="Publish"/> after each applied batch and never waits: each subscription runs its callback on a
/// background task, at most once per <see cref="MinInterval"/>, turning a burst of publishes into one call
/// plus at most one trailing call, so the last change is never lost. Subscribers re-read what they show
/// from the <see cref="LiveStore"/>; the feed carries no data, which keeps it narrow enough to swap for a
/// backplane later.
/// </summary>
public sealed class LiveFeed
{
    /// <summary>Subscribe with this (or null) to hear about every app.</summary>
    public const string AnyApp = "*";

    /// <summary>250 ms: a page refreshes at most four times a second however fast the drain posts.</summary>
    public static readonly TimeSpan DefaultMinInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Action<Exception>? _onCallbackError;

    // Copy-on-write so Publish reads it without taking a lock.
    private Subscription[] _subscriptions = [];

    /// <param name="minInterval">The least time between two callbacks of one subscription; tests shorten it.</param>
    /// <param name="onCallbackError">Told about exceptions thrown by callbacks (Core has no logging dependency).</param>
    /// <param name="time">The clock for the interval; tests pass a manual one.</param>
    public LiveFeed(TimeSpan? minInterval = null, Action<Exception>? onCallbackError = null, TimeProvider? time = null)
    {
        MinInterval = minInterval ?? DefaultMinInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(MinInterval, TimeSpan.Zero, nameof(minInterval));
        _onCallbackError = onCallbackError;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan MinInterval { get; }

    /// <summary>
    /// Calls <paramref name="onChanged"/> after changes to <paramref name="app"/> (<see cref="AnyApp"/> or null: any
    /// app). The callback runs with the subscriber's execution context. Dispose the handle to stop; twice is fine.
    /// </summary>
    public IDisposable Subscribe(string? app, Func<Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        var subscription = new Subscription(this, app is null or AnyApp ? null : app, onChanged);
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    /// <summary>Signals that <paramref name="app"/> changed. Returns at once; callbacks run later on the thread pool.</summary>
    public void Publish(string app)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Matches(app))
            {
                subscription.Notify();
            }
        }
    }

    internal int SubscriptionCount => Volatile.Read(ref _subscriptions).Length;

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => !ReferenceEquals(s, subscription));
        }
    }

    private void Report(Exception exception)
    {
        try
        {
            _onCallbackError?.Invoke(exception);
        }
#pragma warning disable CA1031 // A failing error hook must not kill the notification loop.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>One subscriber's throttled callback.</summary>
    internal sealed class Subscription : IDisposable
    {
        private readonly LiveFeed _feed;
        private readonly string? _app;
        private readonly Func<Task> _callback;
        private readonly ExecutionContext? _context;
        private readonly CancellationTokenSource _disposing = new();
        private readonly CancellationToken _stopping;

        // 1 when a change arrived that no callback has seen yet.
        private int _dirty;

        // 1 while a run loop is scheduled or running; only the publisher that flips it 0→1 starts one.
        private int _scheduled;
        private int _disposed;
        private long _lastStart;
        private long _notifications;

        public Subscription(LiveFeed feed, string? app, Func<Task> callback)
        {
            _feed = feed;
            _app = app;
            _callback = callback;
            _context = ExecutionContext.Capture();
            _stopping = _disposing.Token;
        }

        /// <summary>Publishes this subscription accepted, counted synchronously (for tests of filtering).</summary>
        internal long Notifications => Interlocked.Read(ref _notifications);

        public bool Matches(string app) => _app is null || string.Equals(_app, app, StringComparison.Ordinal);

        public void Notify()
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            Interlocked.Increment(ref _notifications);
            Interlocked.Exchange(ref _dirty, 1);
            if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
            {
                if (_context is null)
                {
                    _ = Task.Run(RunAsync);
                }
                else
                {
                    // Task.Run captures the current context, so start it inside the subscriber's.
                    ExecutionContext.Run(_context, static s => _ = Task.Run(((Subscription)s!).RunAsync), this);
                }
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            _feed.Remove(this);
            _disposing.Cancel();
            _disposing.Dispose();
        }

        private async Task RunAsync()
        {
            while (true)
            {
                var wait = _lastStart == 0 ? TimeSpan.Zero : _feed.MinInterval - _feed._time.GetElapsedTime(_lastStart);
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, _feed._time, _stopping);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                if (Volatile.Read(ref _disposed) != 0)
                {
                    return;
                }

                // Clear before the call: a publish from here on makes another run, so the last change is seen.
                Interlocked.Exchange(ref _dirty, 0);
                _lastStart = Math.Max(1, _feed._time.GetTimestamp());
                try
                {
                    await _callback();
                }
#pragma warning disable CA1031 // A subscriber's failure must never reach the ingestion path or other subscribers.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _feed.Report(ex);
                }

                // Step down, then look again: a publish that saw _scheduled == 1 just before relied on us.
                Interlocked.Exchange(ref _scheduled, 0);
                if (Volatile.Read(ref _dirty) == 0 || Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0)
                {
                    return;
                }
            }
        }
    }
}
