namespace DynoDashboard.Web.Storage;

public sealed partial class HistoryWriter
{
    private readonly Lock _waitersLock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];

    /// <summary>
    /// Completes once everything accepted before the call is written (or dropped): renaming or deleting an app's
    /// history must not be followed by a queued batch that brings the old name back.
    /// </summary>
    public Task WhenCaughtUpAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _acceptedFacts);
        if (IsWritten(target))
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersLock)
        {
            _waiters.Add((target, done));
        }

        ReleaseWaiters(); // a flush may have finished between the check and the Add
        return done.Task.WaitAsync(cancellationToken);
    }

    private bool IsWritten(long target) => Interlocked.Read(ref _writtenFacts) + Interlocked.Read(ref _discardedFacts) >= target;

    private void ReleaseWaiters()
    {
        lock (_waitersLock)
        {
            _waiters.RemoveAll(w =>
            {
                if (!IsWritten(w.Target))
                {
                    return false;
                }

                w.Done.TrySetResult();
                return true;
            });
        }
    }
}
