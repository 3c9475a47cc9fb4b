using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DynoDashboard.Web.Export;

/// <summary>
/// The dashboard's own health as OpenTelemetry traces and metrics: a span and timings per drain batch, and
/// ASP.NET Core's request telemetry for the API. Exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set; otherwise nothing listens and the instruments cost next to nothing.
/// </summary>
public sealed class DashboardTelemetry
{
    public const string Name = "DynoDashboard";

    public static readonly ActivitySource Activities = new(Name);

    private readonly Counter<long> _batches;
    private readonly Counter<long> _lines;
    private readonly Histogram<double> _batchDuration;

    public DashboardTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Name);
        _batches = meter.CreateCounter<long>("dynodashboard.ingest.batches", description: "Drain batches parsed.");
        _lines = meter.CreateCounter<long>("dynodashboard.ingest.lines", description: "Log lines parsed.");
        _batchDuration = meter.CreateHistogram<double>("dynodashboard.ingest.batch.duration", unit: "ms",
            description: "Time to parse one drain batch and apply it to the live store.");
    }

    public void BatchProcessed(string app, int lines, TimeSpan elapsed, bool failed)
    {
        var tags = new TagList { { "app", app }, { "outcome", failed ? "failed" : "ok" } };
        _batches.Add(1, tags);
        _lines.Add(lines, tags);
        _batchDuration.Record(elapsed.TotalMilliseconds, tags);
    }
}

public static class TelemetryRegistration
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddDynoTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DashboardTelemetry>();
        if (string.IsNullOrWhiteSpace(configuration[EndpointSetting]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(DashboardTelemetry.Name))
            .WithTracing(tracing => tracing
                .AddSource(DashboardTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/_blazor"))
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddMeter(DashboardTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter());
        return services;
    }
}
