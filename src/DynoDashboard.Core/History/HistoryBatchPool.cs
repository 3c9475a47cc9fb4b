namespace DynoDashboard.Core.History;

/// <summary>
/// Written <see cref="HistoryBatch"/>es kept for the next drain batches. Without it every drain batch allocated a
/// batch and grew four lists from empty (List.AddWithResize showed in the profile), several times over a 100 KiB body,
/// all of it garbage a second later. The ingestion thread rents, the history writer returns after its flush.
/// Bounded twice, so an idle server keeps little: at most <see cref="MaxKept"/> batches, and a batch whose lists grew
/// past <see cref="MaxKeptCapacity"/> slots (a rare huge body) is left to the GC rather than kept.
/// </summary>
public sealed class HistoryBatchPool(int maxKept = HistoryBatchPool.DefaultMaxKept, int maxKeptCapacity = HistoryBatchPool.DefaultMaxKeptCapacity)
{
    /// <summary>Enough for the batches of one full flush (20,000 facts at a few hundred facts a batch, twice over for
    /// line batches) with room to spare.</summary>
    public const int DefaultMaxKept = 256;

    /// <summary>A 100 KiB Logplex body needs a few hundred slots per list; 2,048 in all keeps those and, with
    /// <see cref="DefaultMaxKept"/>, holds the pool to tens of MB at most.</summary>
    public const int DefaultMaxKeptCapacity = 2_048;

    private readonly Lock _gate = new();
    private readonly Stack<HistoryBatch> _kept = new();

    public int MaxKept { get; } = maxKept;

    public int MaxKeptCapacity { get; } = maxKeptCapacity;

    /// <summary>Batches waiting for reuse.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _kept.Count;
            }
        }
    }

    /// <summary>An empty batch of <paramref name="app"/>: a kept one when there is one.</summary>
    public HistoryBatch Rent(string app)
    {
        HistoryBatch? batch = null;
        lock (_gate)
        {
            _kept.TryPop(out batch);
        }

        if (batch is null)
        {
            return new HistoryBatch(app);
        }

        batch.Reset(app);
        return batch;
    }

    /// <summary>Takes back a batch no one reads any more (written, shed or empty). It is emptied here, on the
    /// returning thread, so the references its facts hold go at once.</summary>
    public void Return(HistoryBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Capacity > MaxKeptCapacity)
        {
            return;
        }

        batch.Reset(string.Empty);
        lock (_gate)
        {
            if (_kept.Count < MaxKept)
            {
                _kept.Push(batch);
            }
        }
    }
}
