using System.Text;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

/// <summary>A sink that copies every line it gets, in order, so tests can assert on them after the call.</summary>
internal sealed class RecordingSink : IHerokuLineSink
{
    public List<LineKind> Order { get; } = [];

    public List<RuntimeRecord> Runtime { get; } = [];

    public List<RouterRecord> Router { get; } = [];

    public List<DynoEvent> Events { get; } = [];

    public List<AppRecord> App { get; } = [];

    public List<RawRecord> Raw { get; } = [];

    public void OnRuntimeSample(in RuntimeSampleLine line)
    {
        Order.Add(LineKind.Runtime);
        Runtime.Add(new RuntimeRecord(line.Dyno, line.Incarnation, line.Sample, Text(line.Message)));
    }

    public void OnRouterRequest(in RouterRequest request)
    {
        Order.Add(LineKind.Router);
        Router.Add(new RouterRecord(
            request.Time, request.Level, request.Code, request.Dyno, request.ConnectMs, request.ServiceMs, request.Status,
            request.Bytes, Text(request.Method), Text(request.Path), Text(request.Host), Text(request.RequestId),
            Text(request.Fwd), Text(request.Protocol), Text(request.Desc), Text(request.Cause), Text(request.Sock),
            Text(request.Message), DynoEvent.FromRouterError(request, Text(request.Message))));
    }

    public void OnDynoEvent(DynoEvent dynoEvent)
    {
        Order.Add(LineKind.Event);
        Events.Add(dynoEvent);
    }

    public void OnAppLine(in AppLine line)
    {
        Order.Add(LineKind.App);
        App.Add(new AppRecord(line.Time, Text(line.Source), Text(line.ProcId), line.Dyno, Text(line.Message), line.IsLogfmt));
    }

    public void OnRawLine(in RawLine line)
    {
        Order.Add(LineKind.Raw);
        Raw.Add(new RawRecord(Text(line.Text), line.Reason));
    }

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}

internal sealed record RuntimeRecord(DynoName Dyno, string? Incarnation, RuntimeSample Sample, string Message);

internal sealed record RouterRecord(
    DateTimeOffset Time, RouterLevel Level, ErrorCodeInfo? Code, DynoName? Dyno, int? ConnectMs, int? ServiceMs, int? Status,
    long? Bytes, string Method, string Path, string Host, string RequestId, string Fwd, string Protocol, string Desc,
    string Cause, string Sock, string Message, DynoEvent AsEvent);

internal sealed record AppRecord(DateTimeOffset Time, string Source, string ProcId, DynoName? Dyno, string Message, bool IsLogfmt);

internal sealed record RawRecord(string Text, string Reason);
