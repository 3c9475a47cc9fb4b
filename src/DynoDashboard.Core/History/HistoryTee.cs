using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.History;

/// <summary>
/// Passes every line to the live store's writer and copies what history needs into a <see cref="HistoryBatch"/>.
/// The ingestion thread only appends small structs here; folding into minute documents and all I/O happen on
/// the history writer's thread. One instance per ingestion thread, reused batch after batch; with a
/// <paramref name="pool"/> the batches themselves are reused too, once whoever took them returns them.
/// </summary>
public sealed class HistoryTee(TimeProvider? time = null, HistoryBatchPool? pool = null) : IHerokuLineSink
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    // Sources and proc ids (app, web.1) repeat line after line: one string each instead of two per app line.
    private readonly NamePool _names = new();
    private IHerokuLineSink? _inner;
    private HistoryBatch? _batch;
    private DateTimeOffset? _lastTime;
    private bool _shedPlainLines;

    /// <summary>Plain router lines of the current (or last) batch seen while shedding. Their <see cref="RouterFact"/>
    /// is still kept, since history's rollups are built from it; what is shed is the line itself.</summary>
    public int ShedRouterLines { get; private set; }

    /// <summary>App lines of the current (or last) batch left out of history while shedding.</summary>
    public int ShedAppLines { get; private set; }

    /// <summary>Starts a batch of <paramref name="app"/> whose lines also go to <paramref name="inner"/>; with
    /// <paramref name="shedPlainLines"/> app lines are not copied (<see cref="Live.LineShedding"/>) and plain router
    /// lines are counted as shed.</summary>
    public HistoryTee Begin(string app, IHerokuLineSink inner, bool shedPlainLines = false)
    {
        _inner = inner;
        _batch = pool?.Rent(app) ?? new HistoryBatch(app);
        _lastTime = null;
        _shedPlainLines = shedPlainLines;
        ShedRouterLines = 0;
        ShedAppLines = 0;
        return this;
    }

    /// <summary>Ends the batch and hands over what it collected.</summary>
    public HistoryBatch End()
    {
        var batch = _batch ?? throw new InvalidOperationException("End without Begin.");
        _batch = null;
        _inner = null;
        return batch;
    }

    public void OnRuntimeSample(in RuntimeSampleLine line)
    {
        Inner.OnRuntimeSample(line);
        Batch.Samples.Add(new SampleFact(line.Dyno, line.Incarnation, line.Sample));
        _lastTime = line.Sample.Time;
    }

    public void OnRouterRequest(in RouterRequest request)
    {
        if (request.Code is not null)
        {
            // One event for both stores: the live store keeps the very object history stores (it is immutable).
            var routerError = DynoEvent.FromRouterError(request);
            Inner.OnRouterError(request, routerError);
            Batch.Events.Add(routerError);
        }
        else
        {
            Inner.OnRouterRequest(request);
        }

        Batch.Requests.Add(new RouterFact(request.Time, request.Dyno, request.Status, request.ConnectMs,
            request.ServiceMs, request.Bytes, request.Code));
        if (request.Code is null && _shedPlainLines)
        {
            ShedRouterLines++;
        }

        _lastTime = request.Time;
    }

    public void OnDynoEvent(DynoEvent dynoEvent)
    {
        Inner.OnDynoEvent(dynoEvent);
        Batch.Events.Add(dynoEvent);
        _lastTime = dynoEvent.Time;
    }

    public void OnAppLine(in AppLine line)
    {
        Inner.OnAppLine(line);
        _lastTime = line.Time;
        if (_shedPlainLines)
        {
            ShedAppLines++;
            return;
        }

        // The text stays UTF-8: history stores it as bytes (LogLine.FromUtf8).
        Batch.Lines.Add(LogLine.FromUtf8(line.Time, _names.Get(line.Source), _names.Get(line.ProcId),
            line.Dyno, LineKind.App, line.Message));
    }

    public void OnRawLine(in RawLine line)
    {
        Inner.OnRawLine(line);
        // A raw line has no time of its own: file it with its neighbours, as the live store does.
        Batch.Lines.Add(LogLine.FromUtf8(_lastTime ?? _time.GetUtcNow(), string.Empty, string.Empty, null, LineKind.Raw,
            line.Text));
    }

    private IHerokuLineSink Inner => _inner ?? throw new InvalidOperationException("Begin a batch first.");

    private HistoryBatch Batch => _batch ?? throw new InvalidOperationException("Begin a batch first.");
}
