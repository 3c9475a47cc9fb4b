using System.Globalization;
using System.Text;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Live;

/// <summary>
/// Feeds hand-built parser output into a sink. The parser lives on another branch, so the tests construct
/// the model's ref structs directly, the way the parser will.
/// </summary>
internal static class TestLines
{
    public static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly ErrorCodeInfo H10 = new("H10", ErrorFamily.Router, "App crashed", "A crashed web dyno.");
    public static readonly ErrorCodeInfo H12 = new("H12", ErrorFamily.Router, "Request timeout", "Took over 30 s.");
    public static readonly ErrorCodeInfo H13 = new("H13", ErrorFamily.Router, "Connection closed without response", "");

    public static void Router(
        IHerokuLineSink sink,
        DateTimeOffset time,
        string? dyno,
        int? status = 200,
        int? connect = 1,
        int? service = 20,
        ErrorCodeInfo? code = null,
        long? bytes = 512)
    {
        var level = code is null ? "info" : "error";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"at={level} {(code is null ? "" : $"code={code.Code} ")}method=GET path=\"/\" host=app.herokuapp.com dyno={dyno} connect={connect}ms service={service}ms status={status} bytes={bytes}");
        sink.OnRouterRequest(new RouterRequest
        {
            Time = time,
            Level = code is null ? RouterLevel.Info : RouterLevel.Error,
            Code = code,
            Dyno = dyno is null ? null : new DynoName(dyno),
            ConnectMs = connect,
            ServiceMs = service,
            Status = status,
            Bytes = bytes,
            Path = "/"u8,
            Method = "GET"u8,
            Message = Encoding.UTF8.GetBytes(message),
        });
    }

    public static void Load(IHerokuLineSink sink, DateTimeOffset time, string dyno, double load1m, string? incarnation = "heroku.1.aaaa")
    {
        var sample = RuntimeSample.Empty(time) with { Load1m = load1m, Load5m = load1m, Load15m = load1m };
        Sample(sink, dyno, incarnation, sample, $"source={dyno} sample#load_avg_1m={load1m}");
    }

    public static void Memory(IHerokuLineSink sink, DateTimeOffset time, string dyno, double rssMb, string? incarnation = "heroku.1.aaaa")
    {
        var sample = RuntimeSample.Empty(time) with { MemoryRssMb = rssMb, MemoryTotalMb = rssMb, MemoryQuotaMb = 512 };
        Sample(sink, dyno, incarnation, sample, $"source={dyno} sample#memory_rss={rssMb}MB");
    }

    public static void App(IHerokuLineSink sink, DateTimeOffset time, string procId, string message, string source = "app")
    {
        sink.OnAppLine(new AppLine
        {
            Time = time,
            Source = Encoding.UTF8.GetBytes(source),
            ProcId = Encoding.UTF8.GetBytes(procId),
            Dyno = DynoName.IsDynoShaped(procId) ? new DynoName(procId) : null,
            Message = Encoding.UTF8.GetBytes(message),
        });
    }

    public static DynoEvent StateChanged(DateTimeOffset time, string dyno, string from, string to) => new()
    {
        Time = time,
        Dyno = new DynoName(dyno),
        Kind = DynoEventKind.StateChanged,
        Description = $"State changed from {from} to {to}",
        ProcId = dyno,
        Message = $"State changed from {from} to {to}",
        FromState = from,
        ToState = to,
    };

    private static void Sample(IHerokuLineSink sink, string dyno, string? incarnation, RuntimeSample sample, string message)
    {
        sink.OnRuntimeSample(new RuntimeSampleLine
        {
            Dyno = new DynoName(dyno),
            Incarnation = incarnation,
            Sample = sample,
            Message = Encoding.UTF8.GetBytes(message),
        });
    }
}
