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
    private readonly Gauge _storage;
    private readonly Storage.FreeSpaceWatch? _disk;
    private readonly Storage.HistoryWriter? _history;
    // The labelled children each dyno's router lines update, looked up once per dyno rather than per line:
    // prometheus-net's WithLabels cost ~270–410 ns per line for the four series, against ~45 ns cached (measured),
    // more than parsing the line. Keys are the router series that exist, so a scrape can remove vanished dynos.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentDictionary<DynoName, DynoRouterSeries>> _routerSeries =
        new(StringComparer.Ordinal);

    public PrometheusExport(LiveStore store, IngestionCounters counters, DrainQueue queue,
        Storage.FreeSpaceWatch? disk = null, Storage.HistoryWriter? history = null)
    {
        _store = store;
        _counters = counters;
        _queue = queue;
        _disk = disk;
        _history = history;
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
        _storage = factory.CreateGauge("dynodashboard_storage",
            "The data folder's health: free disk space against Storage:MinFreeBytes (disk_low 1 = the drain refuses batches), failing history writes (history_failing 1 = being retried).",
            new GaugeConfiguration { LabelNames = ["counter"] });
        Registry.AddBeforeCollectCallback(Refresh);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Wraps an app's live-store writer so every router line is also counted here.</summary>
    public IHerokuLineSink Wrap(string app, IHerokuLineSink inner) => new CountingSink(this, app, inner);

    private System.Collections.Concurrent.ConcurrentDictionary<DynoName, DynoRouterSeries> RouterSeriesOf(string app) =>
        _routerSeries.GetOrAdd(app, static _ => new());

    private DynoRouterSeries SeriesOf(string app, System.Collections.Concurrent.ConcurrentDictionary<DynoName, DynoRouterSeries> dynos,
        DynoName dyno) =>
        dynos.TryGetValue(dyno, out var series)
            ? series
            // Static factory with an argument: a capturing lambda allocated its closure on every call, hit or miss
            // (once per router line).
            : dynos.GetOrAdd(dyno, static (d, s) => new DynoRouterSeries(s.Export, s.App, d), (Export: this, App: app));

    private static void Count(DynoRouterSeries series, in RouterRequest request)
    {
        series.Requests(request.StatusClass).Inc();
        if (request.Code is { Family: ErrorFamily.Router } code)
        {
            series.Errors(code.Code).Inc();
        }

        if (request.ServiceMs is { } service)
        {
            series.Service.Observe(service);
        }

        if (request.ConnectMs is { } connect)
        {
            series.Connect.Observe(connect);
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

        foreach (var (app, dynos) in _routerSeries)
        {
            foreach (var dyno in dynos.Keys)
            {
                if (live.Contains((app, dyno.Value)))
                {
                    continue;
                }

                // Series first, cache entry second: a line counted in between goes to a removed child (one line
                // lost), and the next line labels a fresh one. The other order could cache a removed child for good.
                RemoveDyno(_requests, app, dyno.Value);
                RemoveDyno(_errors, app, dyno.Value);
                _service.RemoveLabelled(app, dyno.ProcessType, dyno.Value);
                _connect.RemoveLabelled(app, dyno.ProcessType, dyno.Value);
                dynos.TryRemove(dyno, out _);
            }
        }

        var status = _counters.Snapshot(_queue.Depth, _queue.Capacity);
        _ingest.WithLabels("batches_received").Set(status.BatchesReceived);
        _ingest.WithLabels("batches_processed").Set(status.BatchesProcessed);
        _ingest.WithLabels("lines_parsed").Set(status.LinesParsed);
        _ingest.WithLabels("duplicate_frames").Set(status.DuplicateFrames);
        _ingest.WithLabels("count_mismatches").Set(status.CountMismatches);
        _ingest.WithLabels("rejected_queue_full").Set(status.Rejections.QueueFull);
        _ingest.WithLabels("rejected_storage").Set(status.Rejections.Storage);
        _ingest.WithLabels("queue_depth").Set(status.QueueDepth);
        if (_disk?.Status() is { } disk)
        {
            _storage.WithLabels("disk_free_bytes").Set(disk.FreeBytes);
            _storage.WithLabels("disk_min_free_bytes").Set(disk.MinFreeBytes);
            _storage.WithLabels("disk_low").Set(disk.Low ? 1 : 0);
        }

        if (_history?.Status() is { } history)
        {
            _storage.WithLabels("history_write_failures").Set(history.WriteFailures);
            _storage.WithLabels("history_failing").Set(history.FailingSince is null ? 0 : 1);
        }
    }

    private static void RemoveDyno(Counter counter, string app, string dyno)
    {
        foreach (var labels in counter.GetAllLabelValues().Where(l => l[0] == app && l[2] == dyno).ToList())
        {
            counter.RemoveLabelled(labels);
        }
    }

    /// <summary>One dyno's router series, labelled once. Status-class and code children are made on first use.</summary>
    private sealed class DynoRouterSeries(PrometheusExport export, string app, DynoName dyno)
    {
        private readonly Counter.Child?[] _byStatusClass = new Counter.Child?[6];
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Counter.Child> _byCode = new(StringComparer.Ordinal);

        public Histogram.Child Service { get; } = export._service.WithLabels(app, dyno.ProcessType, dyno.Value);

        public Histogram.Child Connect { get; } = export._connect.WithLabels(app, dyno.ProcessType, dyno.Value);

        public Counter.Child Requests(int statusClass) => _byStatusClass[statusClass] ??=
            export._requests.WithLabels(app, dyno.ProcessType, dyno.Value, StatusClassLabel(statusClass));

        public Counter.Child Errors(string code) =>
            _byCode.GetOrAdd(code, c => export._errors.WithLabels(app, dyno.ProcessType, dyno.Value, c));
    }

    /// <summary>Counts router lines on their way to the live store.</summary>
    private sealed class CountingSink(PrometheusExport export, string app, IHerokuLineSink inner) : IHerokuLineSink
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<DynoName, DynoRouterSeries> _dynos = export.RouterSeriesOf(app);

        public void OnRuntimeSample(in RuntimeSampleLine line) => inner.OnRuntimeSample(line);

        public void OnRouterRequest(in RouterRequest request)
        {
            CountRequest(request);
            inner.OnRouterRequest(request);
        }

        // Passed on as is, so the live store keeps the event history already made (IHerokuLineSink.OnRouterError).
        public void OnRouterError(in RouterRequest request, DynoEvent routerError)
        {
            CountRequest(request);
            inner.OnRouterError(request, routerError);
        }

        public void OnDynoEvent(DynoEvent dynoEvent) => inner.OnDynoEvent(dynoEvent);

        public void OnAppLine(in AppLine line) => inner.OnAppLine(line);

        public void OnRawLine(in RawLine line) => inner.OnRawLine(line);

        private void CountRequest(in RouterRequest request)
        {
            if (request.Dyno is { } dyno)
            {
                Count(export.SeriesOf(app, _dynos, dyno), request);
            }
        }
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
