using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DynoDashboard.Web.Tests.Export;

public sealed class TelemetryTests
{
    [Fact]
    public async Task OtlpEndpointSet_TracesAndMetricsOfIngestionAreExported()
    {
        var traces = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var metrics = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var collector = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/traces", () => { traces.TrySetResult(); return Results.Ok(); });
            app.MapPost("/v1/metrics", () => { metrics.TrySetResult(); return Results.Ok(); });
        });
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });

        await factory.PostLogplexAndWaitAsync("myapp", new LogplexBody().Router(DateTimeOffset.UtcNow, "web.1"));

        // Each task completes only when the collector received an OTLP export of that signal.
        await Task.WhenAll(traces.Task, metrics.Task).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(traces.Task.IsCompletedSuccessfully && metrics.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public void NoOtlpEndpoint_NoExporterIsRegistered()
    {
        using var factory = new DashboardFactory();

        var providers = factory.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider));

        Assert.Null(providers);
    }
}
