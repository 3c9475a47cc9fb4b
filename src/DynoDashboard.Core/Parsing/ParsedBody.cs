using System.Runtime.InteropServices;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Parsing;

/// <summary>
/// A drain body parsed ahead, on a thread of its own, and replayed later into the real sinks in drain order. Parsing is
/// about half of ingestion's work per line and bodies are independent until they are applied, so several bodies can
/// be parsed at once while one thread applies them in order (the journal checkpoint stays a prefix, and the live
/// store keeps its single writer).
/// <para>
/// The parser's line views point into the body, which the caller keeps alive until <see cref="Replay"/>. A view is
/// recorded as an offset into the body; the rare one that points elsewhere (an unescaped value in the parser's own
/// buffer) is copied into a side buffer. Records are plain structs in lists that keep their capacity between bodies
/// (<see cref="Clear"/>), so steady-state recording allocates nothing for runtime and router lines.
/// </para>
/// </summary>
public sealed class ParsedBody : IHerokuLineSink
{
    private readonly List<LineKind> _order = [];
    private readonly List<RecordedSample> _samples = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<DynoEvent> _events = [];
    private readonly List<RecordedAppLine> _appLines = [];
    private readonly List<RecordedRaw> _raws = [];
    private byte[] _copied = new byte[1024];
    private int _copiedLength;
    private ReadOnlyMemory<byte> _body;

    /// <summary>What the parser counted in the body.</summary>
    public DrainParseResult Result { get; private set; }

    /// <summary>Lines recorded (and replayed by <see cref="Replay"/>).</summary>
    public int Count => _order.Count;

    /// <summary>Parses <paramref name="body"/> (Logplex framing, or <c>heroku logs</c> text) into records.
    /// <paramref name="body"/> must stay unchanged until the last <see cref="Replay"/>.</summary>
    public DrainParseResult Parse(HerokuLogParser parser, ReadOnlyMemory<byte> body, bool cliText = false)
    {
        ArgumentNullException.ThrowIfNull(parser);
        Clear();
        _body = body;
        var self = this;
        Result = cliText ? parser.ParseCliText(body.Span, ref self) : parser.ParseLogplexBody(body.Span, ref self);
        return Result;
    }

    /// <summary>Calls <paramref name="sink"/> once per recorded line, in body order, with views as the parser made them.</summary>
    public void Replay<TSink>(ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        int sample = 0, request = 0, dynoEvent = 0, app = 0, raw = 0;
        foreach (var kind in CollectionsMarshal.AsSpan(_order))
        {
            switch (kind)
            {
                case LineKind.Runtime:
                    ReplaySample(ref sink, CollectionsMarshal.AsSpan(_samples)[sample++]);
                    break;
                case LineKind.Router:
                    ReplayRequest(ref sink, CollectionsMarshal.AsSpan(_requests)[request++]);
                    break;
                case LineKind.Event:
                    sink.OnDynoEvent(_events[dynoEvent++]);
                    break;
                case LineKind.App:
                    ReplayAppLine(ref sink, CollectionsMarshal.AsSpan(_appLines)[app++]);
                    break;
                default:
                    var line = CollectionsMarshal.AsSpan(_raws)[raw++];
                    sink.OnRawLine(new RawLine { Text = View(line.Text), Reason = line.Reason });
                    break;
            }
        }
    }

    /// <summary>Forgets the body and every record, keeping the lists' capacity for the next body.</summary>
    public void Clear()
    {
        _order.Clear();
        _samples.Clear();
        _requests.Clear();
        _events.Clear();
        _appLines.Clear();
        _raws.Clear();
        _copiedLength = 0;
        _body = default;
        Result = default;
    }

    void IHerokuLineSink.OnRuntimeSample(in RuntimeSampleLine line)
    {
        _order.Add(LineKind.Runtime);
        _samples.Add(new RecordedSample(line.Dyno, line.Incarnation, line.Sample, Locate(line.Message)));
    }

    void IHerokuLineSink.OnRouterRequest(in RouterRequest request)
    {
        _order.Add(LineKind.Router);
        _requests.Add(new RecordedRequest
        {
            Time = request.Time,
            Level = request.Level,
            Code = request.Code,
            Dyno = request.Dyno,
            ConnectMs = request.ConnectMs,
            ServiceMs = request.ServiceMs,
            Status = request.Status,
            Bytes = request.Bytes,
            Method = Locate(request.Method),
            Path = Locate(request.Path),
            Host = Locate(request.Host),
            RequestId = Locate(request.RequestId),
            Fwd = Locate(request.Fwd),
            Protocol = Locate(request.Protocol),
            Desc = Locate(request.Desc),
            Cause = Locate(request.Cause),
            Sock = Locate(request.Sock),
            Message = Locate(request.Message),
        });
    }

    void IHerokuLineSink.OnDynoEvent(DynoEvent dynoEvent)
    {
        _order.Add(LineKind.Event);
        _events.Add(dynoEvent);
    }

    void IHerokuLineSink.OnAppLine(in AppLine line)
    {
        _order.Add(LineKind.App);
        _appLines.Add(new RecordedAppLine(line.Time, Locate(line.Source), Locate(line.ProcId), line.Dyno,
            Locate(line.Message), line.IsLogfmt));
    }

    void IHerokuLineSink.OnRawLine(in RawLine line)
    {
        _order.Add(LineKind.Raw);
        _raws.Add(new RecordedRaw(Locate(line.Text), line.Reason));
    }

    private void ReplaySample<TSink>(ref TSink sink, in RecordedSample line)
        where TSink : IHerokuLineSink, allows ref struct =>
        sink.OnRuntimeSample(new RuntimeSampleLine
        {
            Dyno = line.Dyno,
            Incarnation = line.Incarnation,
            Sample = line.Sample,
            Message = View(line.Message),
        });

    private void ReplayRequest<TSink>(ref TSink sink, in RecordedRequest line)
        where TSink : IHerokuLineSink, allows ref struct =>
        sink.OnRouterRequest(new RouterRequest
        {
            Time = line.Time,
            Level = line.Level,
            Code = line.Code,
            Dyno = line.Dyno,
            ConnectMs = line.ConnectMs,
            ServiceMs = line.ServiceMs,
            Status = line.Status,
            Bytes = line.Bytes,
            Method = View(line.Method),
            Path = View(line.Path),
            Host = View(line.Host),
            RequestId = View(line.RequestId),
            Fwd = View(line.Fwd),
            Protocol = View(line.Protocol),
            Desc = View(line.Desc),
            Cause = View(line.Cause),
            Sock = View(line.Sock),
            Message = View(line.Message),
        });

    private void ReplayAppLine<TSink>(ref TSink sink, in RecordedAppLine line)
        where TSink : IHerokuLineSink, allows ref struct =>
        sink.OnAppLine(new AppLine
        {
            Time = line.Time,
            Source = View(line.Source),
            ProcId = View(line.ProcId),
            Dyno = line.Dyno,
            Message = View(line.Message),
            IsLogfmt = line.IsLogfmt,
        });

    /// <summary>Where a view lies: an offset into the body, or (negative) into the side buffer of copied bytes.</summary>
    private SpanRef Locate(ReadOnlySpan<byte> view)
    {
        if (view.IsEmpty)
        {
            return default;
        }

        var body = _body.Span;
        if (body.Overlaps(view, out var offset) && offset >= 0 && offset + view.Length <= body.Length)
        {
            return new SpanRef(offset, view.Length);
        }

        if (_copiedLength + view.Length > _copied.Length)
        {
            Array.Resize(ref _copied, Math.Max(_copied.Length * 2, _copiedLength + view.Length));
        }

        view.CopyTo(_copied.AsSpan(_copiedLength));
        _copiedLength += view.Length;
        return new SpanRef(-(_copiedLength - view.Length) - 1, view.Length);
    }

    private ReadOnlySpan<byte> View(SpanRef view) =>
        view.Length == 0 ? default
        : view.Start >= 0 ? _body.Span.Slice(view.Start, view.Length)
        : _copied.AsSpan(-view.Start - 1, view.Length);

    private readonly record struct SpanRef(int Start, int Length);

    private readonly record struct RecordedSample(DynoName Dyno, string? Incarnation, RuntimeSample Sample, SpanRef Message);

    private readonly record struct RecordedAppLine(
        DateTimeOffset Time, SpanRef Source, SpanRef ProcId, DynoName? Dyno, SpanRef Message, bool IsLogfmt);

    private readonly record struct RecordedRaw(SpanRef Text, string Reason);

    private readonly struct RecordedRequest
    {
        public DateTimeOffset Time { get; init; }

        public RouterLevel Level { get; init; }

        public ErrorCodeInfo? Code { get; init; }

        public DynoName? Dyno { get; init; }

        public int? ConnectMs { get; init; }

        public int? ServiceMs { get; init; }

        public int? Status { get; init; }

        public long? Bytes { get; init; }

        public SpanRef Method { get; init; }

        public SpanRef Path { get; init; }

        public SpanRef Host { get; init; }

        public SpanRef RequestId { get; init; }

        public SpanRef Fwd { get; init; }

        public SpanRef Protocol { get; init; }

        public SpanRef Desc { get; init; }

        public SpanRef Cause { get; init; }

        public SpanRef Sock { get; init; }

        public SpanRef Message { get; init; }
    }
}
