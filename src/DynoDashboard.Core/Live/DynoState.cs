using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Live;

/// <summary>
/// Everything the live store keeps about one dyno (app + <see cref="DynoName"/>): its runtime samples in time
/// order, its router rollups, its incarnations and its state. Guarded by the owning app's lock.
/// </summary>
internal sealed partial class DynoState
{
    /// <summary>A handful of restarts: enough to show "restarted 3 times in the last hour" without growing.</summary>
    internal const int MaxIncarnations = 8;

    private static readonly TimeSpan s_sameReading = TimeSpan.FromSeconds(1);
    private static readonly long s_bucketTicks = TimeSpan.FromSeconds(LiveStoreOptions.RollupBucketSeconds).Ticks;

    private readonly RingBuffer<RuntimeSample> _samples;
    private readonly RingBuffer<DynoIncarnation> _incarnations = new(MaxIncarnations);
    private readonly int _rollupBuckets;

    // Rollups indexed by bucket number modulo their count: O(1) to find a request's bucket, ordered by
    // construction, and exactly the last RollupBucketsPerDyno × 10 s of this dyno's traffic. Allocated on
    // the first request, because worker dynos never see the router.
    private RouterRollup?[]? _rollups;
    private long _newestBucket = long.MinValue;

    private string? _explicitState;
    private DateTimeOffset _explicitStateTime;
    private DateTimeOffset? _lastDataTime;

    public DynoState(DynoName name, LiveStoreOptions options)
    {
        Name = name;
        ProcessType = name.ProcessType;
        _samples = new RingBuffer<RuntimeSample>(options.RuntimeSamplesPerDyno);
        _rollupBuckets = options.RollupBucketsPerDyno;
    }

    public DynoName Name { get; }

    public string ProcessType { get; }

    public DateTimeOffset? LastSeen { get; private set; }

    public int SampleCount => _samples.Count;

    public int IncarnationCount => _incarnations.Count;

    /// <summary>
    /// An explicit <c>State changed … to X</c> wins until newer samples or requests arrive; data alone means "up".
    /// </summary>
    public string? State =>
        _explicitState is not null && (_lastDataTime is null || _explicitStateTime >= _lastDataTime)
            ? _explicitState
            : _lastDataTime is null ? null : "up";

    public void Seen(DateTimeOffset time)
    {
        if (LastSeen is null || time > LastSeen)
        {
            LastSeen = time;
        }
    }

    public void SetState(string state, DateTimeOffset time)
    {
        if (_explicitState is null || time >= _explicitStateTime)
        {
            _explicitState = state;
            _explicitStateTime = time;
        }
    }

    /// <summary>
    /// Adds a runtime sample, merging the load and memory halves of one reading (within 1 s) and keeping time
    /// order for late ones. False when it is older than everything kept in a full buffer (dropped).
    /// </summary>
    public bool AddSample(in RuntimeSample sample, string? incarnation)
    {
        MarkData(sample.Time);
        ObserveIncarnation(incarnation, sample.Time);

        var count = _samples.Count;
        if (count > 0)
        {
            var last = _samples[count - 1];
            if ((sample.Time - last.Time).Duration() <= s_sameReading)
            {
                _samples[count - 1] = last.MergeWith(sample);
                return true;
            }

            if (sample.Time < last.Time)
            {
                // Late: merge with its other half if kept, else insert in order (binary search + a short shift).
                var index = LowerBound(sample.Time - s_sameReading);
                if (index < count && _samples[index].Time <= sample.Time + s_sameReading)
                {
                    _samples[index] = _samples[index].MergeWith(sample);
                    return true;
                }

                return _samples.Insert(index, sample);
            }
        }

        _samples.Add(sample);
        return true;
    }

    /// <summary>Adds a request to its 10-s rollup; false when its bucket is older than the kept window.</summary>
    public bool AddRequest(in RouterRequest request)
    {
        var rollup = RollupFor(request.Time);
        if (rollup is null)
        {
            return false;
        }

        MarkData(request.Time);
        rollup.Add(request);
        return true;
    }

    /// <summary>The rollup of the bucket holding <paramref name="time"/>; null when that bucket is older than the kept window.</summary>
    private RouterRollup? RollupFor(DateTimeOffset time)
    {
        var bucket = BucketNumber(time);
        if (_newestBucket != long.MinValue && bucket <= _newestBucket - _rollupBuckets)
        {
            return null;
        }

        _rollups ??= new RouterRollup?[_rollupBuckets];
        _newestBucket = Math.Max(_newestBucket, bucket);
        var slot = (int)(bucket % _rollupBuckets);
        var start = new DateTimeOffset(bucket * s_bucketTicks, TimeSpan.Zero);
        var rollup = _rollups[slot];
        if (rollup is null)
        {
            _rollups[slot] = rollup = new RouterRollup(start);
        }
        else if (rollup.Start != start)
        {
            // The slot still holds a bucket that fell out of the window: recycle it (no allocation).
            rollup.Reset(start);
        }

        return rollup;
    }

    public void ObserveIncarnation(string? id, DateTimeOffset time)
    {
        if (id is null)
        {
            return;
        }

        var index = -1;
        for (var i = 0; i < _incarnations.Count; i++)
        {
            if (string.Equals(_incarnations[i].Id, id, StringComparison.Ordinal))
            {
                index = i;
                break;
            }
        }

        if (index >= 0)
        {
            var known = _incarnations[index];
            _incarnations[index] = known with
            {
                FirstSeen = time < known.FirstSeen ? time : known.FirstSeen,
                LastSeen = time > known.LastSeen ? time : known.LastSeen,
            };
            return;
        }

        // Ordered by first sighting; a stray old id arriving when the list is full is dropped.
        index = _incarnations.Count;
        while (index > 0 && _incarnations[index - 1].FirstSeen > time)
        {
            index--;
        }

        _incarnations.Insert(index, new DynoIncarnation(id, time, time));
    }

    public DynoSnapshot Snapshot(DateTimeOffset? lastHourAfter)
    {
        int requests = 0, errors = 0;
        Dictionary<string, int>? byCode = null;
        if (lastHourAfter is { } after && _rollups is not null)
        {
            foreach (var rollup in _rollups)
            {
                if (rollup is null || !IsRetained(rollup) || rollup.Start <= after)
                {
                    continue;
                }

                requests += rollup.Requests;
                errors += rollup.Errors;
                if (rollup.Errors > 0)
                {
                    rollup.AddErrorsTo(byCode ??= new Dictionary<string, int>(StringComparer.Ordinal));
                }
            }
        }

        // The current incarnation is the one seen most recently: a late line of an old run doesn't switch back.
        DynoIncarnation? current = _incarnations.Count > 0 ? _incarnations[FindNewestIncarnation()] : null;
        return new DynoSnapshot(
            Name,
            ProcessType,
            current?.Id,
            current?.FirstSeen,
            LastSeen,
            State,
            _samples.Count > 0 ? _samples[_samples.Count - 1] : null,
            requests,
            errors,
            byCode ?? RouterRollupSnapshot.NoErrors,
            _incarnations.ToArray());
    }

    public List<SeriesPoint> Series(RuntimeMetric metric, DateTimeOffset from, DateTimeOffset to)
    {
        var points = new List<SeriesPoint>();
        for (var i = LowerBound(from); i < _samples.Count; i++)
        {
            var sample = _samples[i];
            if (sample.Time > to)
            {
                break;
            }

            var value = sample.Get(metric);
            if (!double.IsNaN(value))
            {
                points.Add(new SeriesPoint(sample.Time, value));
            }
        }

        return points;
    }

    /// <summary>The newest <paramref name="limit"/> samples at or after <paramref name="from"/>, oldest first.</summary>
    public RuntimeSample[] Samples(DateTimeOffset from, int limit)
    {
        var start = Math.Max(LowerBound(from), _samples.Count - Math.Max(limit, 0));
        return _samples.ToArray(start, _samples.Count - start);
    }

    /// <summary>Rollups whose 10-s span overlaps [from, to], oldest first.</summary>
    public List<RouterRollupSnapshot> Rollups(DateTimeOffset from, DateTimeOffset to)
    {
        var width = TimeSpan.FromTicks(s_bucketTicks);
        var result = new List<RouterRollupSnapshot>();
        if (_rollups is null)
        {
            return result;
        }

        foreach (var rollup in _rollups)
        {
            if (rollup is not null && IsRetained(rollup) && rollup.Start <= to && rollup.Start + width > from)
            {
                result.Add(rollup.ToSnapshot(width));
            }
        }

        result.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return result;
    }

    /// <summary>How many rollups are in the kept window (never more than RollupBucketsPerDyno).</summary>
    public int RetainedRollupCount => _rollups?.Count(r => r is not null && IsRetained(r)) ?? 0;

    public (DateTimeOffset? Oldest, DateTimeOffset? Newest) Coverage =>
        _samples.Count == 0 ? (null, null) : (_samples[0].Time, _samples[_samples.Count - 1].Time);

    // Ticks since 0001-01-01 are never negative, so plain division floors.
    private static long BucketNumber(DateTimeOffset time) => time.UtcTicks / s_bucketTicks;

    private bool IsRetained(RouterRollup rollup) => BucketNumber(rollup.Start) > _newestBucket - _rollupBuckets;

    private void MarkData(DateTimeOffset time)
    {
        if (_lastDataTime is null || time > _lastDataTime)
        {
            _lastDataTime = time;
        }
    }

    private int FindNewestIncarnation()
    {
        var newest = 0;
        for (var i = 1; i < _incarnations.Count; i++)
        {
            if (_incarnations[i].LastSeen >= _incarnations[newest].LastSeen)
            {
                newest = i;
            }
        }

        return newest;
    }

    /// <summary>The index of the first sample at or after <paramref name="time"/>.</summary>
    private int LowerBound(DateTimeOffset time)
    {
        int low = 0, high = _samples.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_samples[mid].Time < time)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
