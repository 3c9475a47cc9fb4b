using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Web.Ingestion;
using Prometheus;

namespace DynoDashboard.Web.Export;

/// <summary>
/// The Prometheus exposition at <c>/metrics</c>: per-dyno gauges for every runtime metric, router request
/// counters by status class and error code and latency histograms, all labelled <c>app</c>, <c>process_type</c>,
/// <c>dyno</c>; plus the dashboard's own ingestion counters. Labels never carry paths or request ids, and the
/// series of dynos the live store no longer holds (one-off <c>run.N</c> dynos come and go) are removed at each
/// scrape, so cardinality stays bounded by the store's own limits.
/// </summary>
public sealed class PrometheusExport
{
    private static readonly string[] s_dynoLabels = ["app", "process_type", "dyno"];

    // Router service times span 1 ms to the 30 s H12 timeout (and 55 s for H15).
    private static readonly double[] s_latencyBuckets = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000];

    private readonly LiveStore _store;
    private readonly IngestionCounters _counters;
    private readonly DrainQueue _queue;
    private readonly Dictionary<RuntimeMetric, Gauge> _runtime = [];
    private readonly Counter _requests;
    private readonly Counter _errors;
    private readonly Histogram _service;
    private readonly Histogram _connect;
    private readonly Gauge _ingest;
    private readonly Lock _lock = new();
    private readonly HashSet<(string App, string Dyno)> _routerSeries = [];

    public PrometheusExport(LiveStore store, IngestionCounters counters, DrainQueue queue)
    {
        _store = store;
        _counters = counters;
        _queue = queue;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        foreach (var metric in Enum.GetValues<RuntimeMetric>())
        {
            var unit = RuntimeMetrics.UnitOf(metric) switch { "MB" => "_megabytes", "pages" => "_pages", _ => string.Empty };
            _runtime[metric] = factory.CreateGauge($"heroku_dyno_{RuntimeMetrics.NameOf(metric)}{unit}",
                $"log-runtime-metrics sample#{RuntimeMetrics.NameOf(metric)} of the dyno's newest sample.",
                new GaugeConfiguration { LabelNames = s_dynoLabels });
        }

        _requests = factory.CreateCounter("heroku_router_requests_total", "Router requests served by the dyno, by HTTP status class.",
            new CounterConfiguration { LabelNames = [.. s_dynoLabels, "status_class"] });
        _errors = factory.CreateCounter("heroku_router_errors_total", "Router errors (H codes) attributed to the dyno.",
            new CounterConfiguration { LabelNames = [.. s_dynoLabels, "code"] });
        _service = factory.CreateHistogram("heroku_router_service_milliseconds", "Router service time of the dyno's requests.",
            new HistogramConfiguration { LabelNames = s_dynoLabels, Buckets = s_latencyBuckets });
        _connect = factory.CreateHistogram("heroku_router_connect_milliseconds", "Router connect time of the dyno's requests.",
            new HistogramConfiguration { LabelNames = s_dynoLabels, Buckets = s_latencyBuckets });
        _ingest = factory.CreateGauge("dynodashboard_ingest", "The dashboard's own drain counters since start (see /api/status).",
            new GaugeConfiguration { LabelNames = ["counter"] });
        Registry.AddBeforeCollectCallback(Refresh);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Wraps an app's live-store writer so every router line is also counted here.</summary>
    public IHerokuLineSink Wrap(string app, IHerokuLineSink inner) => new CountingSink(this, app, inner);

    private void Count(string app, in RouterRequest request)
    {
        if (request.Dyno is not { } dyno)
        {
            return;
        }

        var type = dyno.ProcessType;
        lock (_lock)
        {
            _routerSeries.Add((app, dyno.Value));
        }

        _requests.WithLabels(app, type, dyno.Value, StatusClassLabel(request.StatusClass)).Inc();
        if (request.Code is { Family: ErrorFamily.Router } code)
        {
            _errors.WithLabels(app, type, dyno.Value, code.Code).Inc();
        }

        if (request.ServiceMs is { } service)
        {
            _service.WithLabels(app, type, dyno.Value).Observe(service);
        }

        if (request.ConnectMs is { } connect)
        {
            _connect.WithLabels(app, type, dyno.Value).Observe(connect);
        }
    }

    private static string StatusClassLabel(int statusClass) => statusClass switch
    {
        1 => "1xx",
        2 => "2xx",
        3 => "3xx",
        4 => "4xx",
        5 => "5xx",
        _ => "none",
    };

    /// <summary>Before each scrape: gauges from the newest samples, and dynos gone from the store dropped.</summary>
    private void Refresh()
    {
        var live = new HashSet<(string App, string Dyno)>();
        foreach (var app in _store.GetApps())
        {
            foreach (var dyno in _store.GetDynos(app.Name) ?? [])
            {
                live.Add((app.Name, dyno.Name.Value));
                foreach (var (metric, gauge) in _runtime)
                {
                    var value = dyno.Latest?.Get(metric) ?? double.NaN;
                    if (double.IsNaN(value))
                    {
                        gauge.RemoveLabelled(app.Name, dyno.ProcessType, dyno.Name.Value);
                    }
                    else
                    {
                        gauge.WithLabels(app.Name, dyno.ProcessType, dyno.Name.Value).Set(value);
                    }
                }
            }
        }

        foreach (var gauge in _runtime.Values)
        {
            foreach (var labels in gauge.GetAllLabelValues().ToList())
            {
                if (!live.Contains((labels[0], labels[2])))
                {
                    gauge.RemoveLabelled(labels);
                }
            }
        }

        List<(string App, string Dyno)> gone;
        lock (_lock)
        {
            gone = [.. _routerSeries.Where(s => !live.Contains(s))];
            _routerSeries.ExceptWith(gone);
        }

        foreach (var (app, dyno) in gone)
        {
            RemoveDyno(_requests, app, dyno);
            RemoveDyno(_errors, app, dyno);
            _service.RemoveLabelled(app, new DynoName(dyno).ProcessType, dyno);
            _connect.RemoveLabelled(app, new DynoName(dyno).ProcessType, dyno);
        }

        var status = _counters.Snapshot(_queue.Depth, _queue.Capacity);
        _ingest.WithLabels("batches_received").Set(status.BatchesReceived);
        _ingest.WithLabels("batches_processed").Set(status.BatchesProcessed);
        _ingest.WithLabels("lines_parsed").Set(status.LinesParsed);
        _ingest.WithLabels("duplicate_frames").Set(status.DuplicateFrames);
        _ingest.WithLabels("count_mismatches").Set(status.CountMismatches);
        _ingest.WithLabels("rejected_queue_full").Set(status.Rejections.QueueFull);
        _ingest.WithLabels("queue_depth").Set(status.QueueDepth);
    }

    private static void RemoveDyno(Counter counter, string app, string dyno)
    {
        foreach (var labels in counter.GetAllLabelValues().Where(l => l[0] == app && l[2] == dyno).ToList())
        {
            counter.RemoveLabelled(labels);
        }
    }

    /// <summary>Counts router lines on their way to the live store.</summary>
    private sealed class CountingSink(PrometheusExport export, string app, IHerokuLineSink inner) : IHerokuLineSink
    {
        public void OnRuntimeSample(in RuntimeSampleLine line) => inner.OnRuntimeSample(line);

        public void OnRouterRequest(in RouterRequest request)
        {
            export.Count(app, request);
            inner.OnRouterRequest(request);
        }

        public void OnDynoEvent(DynoEvent dynoEvent) => inner.OnDynoEvent(dynoEvent);

        public void OnAppLine(in AppLine line) => inner.OnAppLine(line);

        public void OnRawLine(in RawLine line) => inner.OnRawLine(line);
    }
}

public static class PrometheusRegistration
{
    public static IServiceCollection AddDynoPrometheus(this IServiceCollection services)
    {
        services.AddSingleton<PrometheusExport>();
        return services;
    }

    /// <summary><c>GET /metrics</c> in the Prometheus text format.</summary>
    public static IEndpointConventionBuilder MapDynoMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<PrometheusExport>().Registry);
}
