using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Live;

/// <summary>
/// One app in the live store and its writer. The ingestion thread is the only writer; readers copy under
/// the same short lock. A recent line's text is kept as UTF-8 in <see cref="RecentLineText"/> and decoded only
/// for a reader, so filing a runtime or router line allocates nothing; a router error's event (its message kept as
/// UTF-8, <see cref="DynoEvent.FromRouterError(in RouterRequest)"/>) is made before taking the lock.
/// </summary>
internal sealed partial class AppState : IHerokuLineSink
{
    private const string Heroku = "heroku";
    private const string Router = "router";

    private readonly Lock _lock = new();
    private readonly LiveStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<DynoName, DynoState> _dynos = [];
    private readonly RingBuffer<DynoEvent> _events;
    private readonly RingBuffer<RecentLine> _lines;
    private readonly RecentLineText _text;
    private PlainLineShedder? _shedding;
    private readonly NamePool _names = new();

    // Router lines without a dyno (H10 app crashed, H14 no web dynos, H99) roll up here, outside the
    // dyno count and never evicted; readers ask for it with DynoName.NoDyno.
    private DynoState? _noDyno;
    private DateTimeOffset? _lastSeen;

    // How many events were ever filed here: the number of the newest, so a live cursor can ask for "after N"
    // without relying on event times (equal or late times would hide an event from a time-based cursor).
    private long _eventsAdded;
    private long _dynosEvicted;
    private long _lateSamplesDropped;
    private long _lateRequestsDropped;

    // Set once the line buffer has lost a line (the ring evicted one) or holds lines of an earlier process (seeded):
    // from then on a search reaching before its oldest line may miss lines nothing else kept.
    private bool _linesLost;

    public AppState(string name, LiveStoreOptions options, TimeProvider time)
    {
        Name = name;
        _options = options;
        _time = time;
        _events = new RingBuffer<DynoEvent>(options.EventsPerApp);
        _lines = new RingBuffer<RecentLine>(options.RecentLinesPerApp, _ => _linesLost = true);
        _text = new RecentLineText(options.RecentLinesPerApp);
    }

    public string Name { get; internal set; } // set only by LiveStore.RenameApp, under its apps lock

    public void OnRuntimeSample(in RuntimeSampleLine line)
    {
        var time = line.Sample.Time;
        lock (_lock)
        {
            Seen(time);
            var dyno = GetOrAddDyno(line.Dyno, time);
            if (!dyno.AddSample(line.Sample, line.Incarnation))
            {
                _lateSamplesDropped++;
            }

            _lines.Add(new RecentLine(time, Heroku, dyno.Name.Value, dyno.Name, LineKind.Runtime, _text.Append(line.Message)));
        }
    }

    public void OnRouterRequest(in RouterRequest request) => ApplyRouterRequest(request, keepLine: true);

    public void OnRouterError(in RouterRequest request, DynoEvent routerError) =>
        ApplyRouterRequest(request, keepLine: true, routerError);

    /// <summary>The writer used while ingestion is shedding: plain router and app lines update rollups, dynos and
    /// last-seen times but leave no recent line. Cached so shedding batches allocate no wrapper.</summary>
    internal IHerokuLineSink Shedding => _shedding ??= new PlainLineShedder(this);

    private void ApplyRouterRequest(in RouterRequest request, bool keepLine, DynoEvent? routerError = null)
    {
        routerError ??= request.Code is null ? null : DynoEvent.FromRouterError(request);
        lock (_lock)
        {
            Seen(request.Time);
            var dyno = request.Dyno is { } name
                ? GetOrAddDyno(name, request.Time)
                : _noDyno ??= new DynoState(DynoName.NoDyno, _options);
            if (!dyno.AddRequest(request))
            {
                _lateRequestsDropped++;
            }

            if (routerError is not null)
            {
                AddEvent(routerError);
            }

            // The dyno's own name object, not the line's: the buffer must not pin a string per line.
            if (!keepLine)
            {
                return;
            }

            DynoName? lineDyno = request.Dyno is null ? null : dyno.Name;
            _lines.Add(new RecentLine(request.Time, Heroku, Router, lineDyno, LineKind.Router, _text.Append(request.Message)));
        }
    }

    public void OnDynoEvent(DynoEvent dynoEvent)
    {
        ArgumentNullException.ThrowIfNull(dynoEvent);
        lock (_lock)
        {
            Seen(dynoEvent.Time);
            AddEvent(dynoEvent);
            if (dynoEvent.Dyno is { } name)
            {
                var dyno = GetOrAddDyno(name, dynoEvent.Time);
                dyno.ObserveIncarnation(dynoEvent.Incarnation, dynoEvent.Time);
                if (dynoEvent is { Kind: DynoEventKind.StateChanged, ToState: { } state })
                {
                    dyno.SetState(state, dynoEvent.Time);
                }
            }

            // The event already holds its message as a string; keep that rather than a second copy as bytes.
            _lines.Add(new RecentLine(
                dynoEvent.Time, dynoEvent.Source, dynoEvent.ProcId, dynoEvent.Dyno, LineKind.Event, default, dynoEvent.Message));
        }
    }

    public void OnAppLine(in AppLine line) => ApplyAppLine(line, keepLine: true);

    private void ApplyAppLine(in AppLine line, bool keepLine)
    {
        lock (_lock)
        {
            Seen(line.Time);
            DynoName? dyno = line.Dyno is { } name ? GetOrAddDyno(name, line.Time).Name : null;
            if (!keepLine)
            {
                return;
            }

            _lines.Add(new RecentLine(
                line.Time, _names.Get(line.Source), _names.Get(line.ProcId), dyno, LineKind.App, _text.Append(line.Message)));
        }
    }

    public void OnRawLine(in RawLine line)
    {
        lock (_lock)
        {
            // A raw line has no timestamp of its own: file it at the app's newest time so it sorts with its neighbours.
            var time = _lastSeen ?? _time.GetUtcNow();
            _lines.Add(new RecentLine(time, string.Empty, string.Empty, null, LineKind.Raw, _text.Append(line.Text)));
        }
    }

    public (DateTimeOffset? LastSeen, int Dynos) Summary()
    {
        lock (_lock)
        {
            return (_lastSeen, _dynos.Count);
        }
    }

    public (long DynosEvicted, long LateSamples, long LateRequests) Drops()
    {
        lock (_lock)
        {
            return (_dynosEvicted, _lateSamplesDropped, _lateRequestsDropped);
        }
    }

    public List<DynoSnapshot> Dynos()
    {
        lock (_lock)
        {
            var lastHourAfter = _lastSeen - TimeSpan.FromHours(1);
            var result = new List<DynoSnapshot>(_dynos.Count);
            foreach (var dyno in _dynos.Values)
            {
                result.Add(dyno.Snapshot(lastHourAfter));
            }

            result.Sort(static (a, b) => a.Name.CompareTo(b.Name));
            return result;
        }
    }

    public List<SeriesPoint>? Series(DynoName dyno, RuntimeMetric metric, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_lock)
        {
            return _dynos.TryGetValue(dyno, out var state) ? state.Series(metric, from, to) : null;
        }
    }

    public RuntimeSample[]? Samples(DynoName dyno, DateTimeOffset from, int limit)
    {
        lock (_lock)
        {
            return _dynos.TryGetValue(dyno, out var state) ? state.Samples(from, limit) : null;
        }
    }

    public List<RouterRollupSnapshot>? Rollups(DynoName dyno, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_lock)
        {
            if (dyno == DynoName.NoDyno)
            {
                return _noDyno?.Rollups(from, to) ?? [];
            }

            return _dynos.TryGetValue(dyno, out var state) ? state.Rollups(from, to) : null;
        }
    }

    public (DateTimeOffset? Oldest, DateTimeOffset? Newest) Coverage(DynoName dyno)
    {
        lock (_lock)
        {
            return _dynos.TryGetValue(dyno, out var state) ? state.Coverage : (null, null);
        }
    }

    public List<DynoEvent> Events(DynoName? dyno, string? code, int limit)
    {
        var result = new List<DynoEvent>(Math.Clamp(limit, 0, 256));
        lock (_lock)
        {
            for (var i = _events.Count - 1; i >= 0 && result.Count < limit; i--)
            {
                var e = _events[i];
                if ((dyno is null || e.Dyno == dyno || (dyno == DynoName.NoDyno && e.Dyno is null))
                    && (code is null || string.Equals(e.Code?.Code, code, StringComparison.OrdinalIgnoreCase)))
                {
                    result.Add(e);
                }
            }
        }

        return result;
    }

    public NewEvents EventsAfter(long after, int limit)
    {
        lock (_lock)
        {
            // A number past the newest means the cursor saw an earlier state of this app (evicted, re-created): start over.
            var since = after > _eventsAdded ? 0 : after;
            var count = (int)Math.Min(Math.Min(_eventsAdded - since, _events.Count), Math.Max(limit, 0));
            return new NewEvents(_events.ToArray(_events.Count - count, count), _eventsAdded);
        }
    }

    /// <summary>Whether lines older than the buffer's oldest were lost: evicted from the ring, past the text budget, or
    /// received by an earlier process (the buffer was seeded from history, which keeps no router or runtime lines).</summary>
    public bool LinesLost
    {
        get
        {
            lock (_lock)
            {
                return _linesLost || (_lines.Count > 0 && _lines[0].Message is null && !_text.IsIntact(_lines[0].Text));
            }
        }
    }

    public List<LogLine> RecentLines(int limit)
    {
        var result = new List<LogLine>(Math.Clamp(limit, 0, 256));
        lock (_lock)
        {
            // Decoded under the lock (the writer may overwrite the bytes next), and only what a reader asks for.
            for (var i = _lines.Count - 1; i >= 0 && result.Count < limit; i--)
            {
                var l = _lines[i];
                if (l.Message is null && !_text.IsIntact(l.Text))
                {
                    break; // this line and every older one are past the text budget
                }

                result.Add(new LogLine(l.Time, l.Source, l.ProcId, l.Dyno, l.Kind, l.Message ?? _text.Decode(l.Text)));
            }
        }

        return result;
    }

    internal LiveAppFootprint Footprint()
    {
        lock (_lock)
        {
            var all = _noDyno is null ? _dynos.Values.ToList() : [.. _dynos.Values, _noDyno];
            return new LiveAppFootprint(
                _dynos.Count,
                all.Count == 0 ? 0 : all.Max(d => d.SampleCount),
                all.Count == 0 ? 0 : all.Max(d => d.RetainedRollupCount),
                all.Count == 0 ? 0 : all.Max(d => d.IncarnationCount),
                _events.Count,
                _lines.Count,
                _names.Count);
        }
    }

    private void AddEvent(DynoEvent dynoEvent)
    {
        _events.Add(dynoEvent);
        _eventsAdded++;
    }

    private void Seen(DateTimeOffset time)
    {
        if (_lastSeen is null || time > _lastSeen)
        {
            _lastSeen = time;
        }
    }

    private DynoState GetOrAddDyno(DynoName name, DateTimeOffset time)
    {
        if (!_dynos.TryGetValue(name, out var dyno))
        {
            if (_dynos.Count >= _options.MaxDynosPerApp)
            {
                EvictLeastRecentlySeenDyno();
            }

            dyno = new DynoState(name, _options);
            _dynos.Add(name, dyno);
        }

        dyno.Seen(time);
        return dyno;
    }

    private void EvictLeastRecentlySeenDyno()
    {
        // A linear scan, only when a new dyno arrives at a full app (one-off run.N churn): cheap next to the cap.
        DynoState? oldest = null;
        foreach (var dyno in _dynos.Values)
        {
            if (oldest is null || dyno.LastSeen < oldest.LastSeen)
            {
                oldest = dyno;
            }
        }

        if (oldest is not null)
        {
            _dynos.Remove(oldest.Name);
            _dynosEvicted++;
        }
    }

    /// <summary>A recent line as stored: a struct whose text is in <see cref="RecentLineText"/> (events keep their
    /// <paramref name="Message"/> string instead), so filing a line allocates nothing.</summary>
    private readonly record struct RecentLine(
        DateTimeOffset Time, string Source, string ProcId, DynoName? Dyno, LineKind Kind, TextRef Text, string? Message = null);

    /// <summary>Forwards to the state, dropping only the recent line of plain router and app lines.</summary>
    private sealed class PlainLineShedder(AppState state) : IHerokuLineSink
    {
        public void OnRuntimeSample(in RuntimeSampleLine line) => state.OnRuntimeSample(line);

        public void OnRouterRequest(in RouterRequest request) =>
            state.ApplyRouterRequest(request, keepLine: !LineShedding.IsPlainRouterLine(request));

        public void OnRouterError(in RouterRequest request, DynoEvent routerError) =>
            state.ApplyRouterRequest(request, keepLine: !LineShedding.IsPlainRouterLine(request), routerError);

        public void OnDynoEvent(DynoEvent dynoEvent) => state.OnDynoEvent(dynoEvent);

        public void OnAppLine(in AppLine line) => state.ApplyAppLine(line, keepLine: false);

        public void OnRawLine(in RawLine line) => state.OnRawLine(line);
    }
}

/// <summary>How full one app's buffers are (the largest per-dyno figures), for tests and status.</summary>
internal readonly record struct LiveAppFootprint(
    int Dynos,
    int MaxSamplesPerDyno,
    int MaxRollupsPerDyno,
    int MaxIncarnationsPerDyno,
    int Events,
    int Lines,
    int PooledNames);
