using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Web.Api;

/// <summary><c>GET /api/apps</c> item.</summary>
public sealed record AppResponse(string Name, int DynoCount, DateTimeOffset? LastSeen);

/// <summary><c>GET /api/apps/{app}/dynos</c> item. Metric fields come from the newest sample by timestamp and are
/// null when the dyno has sent none; requests and errors cover the last hour of the app's data.</summary>
public sealed record DynoResponse(
    string Name,
    string ProcessType,
    string? Incarnation,
    DateTimeOffset? LastSeen,
    string? State,
    double? Load1m,
    double? Load5m,
    double? Load15m,
    double? MemoryTotalMb,
    double? MemoryRssMb,
    double? MemoryCacheMb,
    double? MemorySwapMb,
    double? MemoryQuotaMb,
    long Requests,
    long Errors,
    IReadOnlyDictionary<string, int> ErrorsByCode,
    DateTimeOffset? SampleTime = null)
{
    public static DynoResponse From(DynoSnapshot dyno) => From(dyno, dyno.Latest);

    /// <summary>The dyno with the values of <paramref name="s"/>, which need not be its newest sample: the live hub
    /// sends every sample of a round this way, and <see cref="SampleTime"/> tells them apart.</summary>
    public static DynoResponse From(DynoSnapshot dyno, RuntimeSample? s)
    {
        ArgumentNullException.ThrowIfNull(dyno);
        return new DynoResponse(
            dyno.Name.Value,
            dyno.ProcessType,
            dyno.Incarnation,
            dyno.LastSeen,
            dyno.State,
            Value(s?.Load1m),
            Value(s?.Load5m),
            Value(s?.Load15m),
            Value(s?.MemoryTotalMb),
            Value(s?.MemoryRssMb),
            Value(s?.MemoryCacheMb),
            Value(s?.MemorySwapMb),
            Value(s?.MemoryQuotaMb),
            dyno.RequestsLastHour,
            dyno.ErrorsLastHour,
            dyno.ErrorsByCode,
            s?.Time);
    }

    /// <summary>The store keeps missing metrics as NaN; JSON has no NaN, and "missing" is null.</summary>
    private static double? Value(double? v) => v is { } d && !double.IsNaN(d) ? d : null;
}

/// <summary><c>GET /api/apps/{app}/dynos/{dyno}/series</c>.</summary>
public sealed record SeriesResponse(string Metric, string Unit, IReadOnlyList<PointResponse> Points);

public sealed record PointResponse(DateTimeOffset T, double V);

/// <summary><c>GET /api/apps/{app}/events</c> item.</summary>
public sealed record EventResponse(
    DateTimeOffset Time,
    string? Dyno,
    string Kind,
    string? Code,
    string Description,
    string Message)
{
    public static EventResponse From(DynoEvent e) =>
        new(e.Time, e.Dyno?.Value, e.Kind.ToString(), e.Code?.Code, e.Description, e.Message);
}
