using System.Globalization;

namespace DynoDashboard.Web.Ingestion.Demo;

/// <summary>
/// A simulated Heroku app, <c>demo</c> (web.1–web.4 and worker.1 on Standard-1X), that writes the
/// <c>application/logplex-1</c> bodies an HTTPS log drain would receive. Pure logic: the caller owns
/// the clock and decides where the bytes go.
/// <para>
/// The story, after the InsightOps write-up: web.2 leaks memory from boot, passes its 512 MB quota
/// 10–15 simulated minutes in and starts swapping; the dyno manager then reports R14 every 20 s and
/// the router starts answering H12/H13 for web.2 while the other dynos stay healthy. About 40 minutes
/// after boot web.2 is restarted and the leak starts over. Healthy dynos restart now and then
/// (a new incarnation each time), and the API announces the odd release.
/// </para>
/// <para>
/// Internally this is a discrete-event simulation over one seeded <see cref="Random"/>: every line is
/// an event on an agenda ordered by time, so the lines depend only on the start, the seed and the
/// rate, never on how <see cref="Advance"/> slices time.
/// </para>
/// </summary>
internal sealed class DemoFleet
{
    /// <summary>The Heroku app name; the router host is <c>demo.herokuapp.com</c>.</summary>
    public const string AppName = "demo";

    /// <summary>Standard-1X memory quota, as <c>sample#memory_quota</c> reports it.</summary>
    public const double QuotaMb = 512;

    /// <summary>Logplex's <c>http_drain_target_bytes</c>: bodies are cut before they pass it.</summary>
    public const int TargetBodyBytes = 102_400;

    private const string RouterHost = AppName + ".herokuapp.com";
    private const string DeployUser = "demo@example.com";
    private const string WebCommand = "bundle exec puma -C config/puma.rb";
    private const string WorkerCommand = "bundle exec sidekiq -C config/sidekiq.yml";

    // PRI as seen in current drains: metrics and dyno-manager lines local0.info, router local3.info,
    // app output local7.info, API local0.notice.
    private const int PriDynoManager = 134;
    private const int PriRouter = 158;
    private const int PriApp = 190;
    private const int PriApi = 133;

    private static readonly TimeSpan s_samplePeriod = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_routerTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] s_jobClasses =
        ["OrderConfirmationJob", "InvoiceMailerJob", "ReindexProductJob", "ImageVariantJob", "WebhookDeliveryJob"];

    private readonly Random _random;
    private readonly double _requestsPerSecond;
    private readonly long _appId;
    private readonly DemoDyno[] _dynos;
    private readonly DemoDyno _leaky;
    private readonly DemoDyno _worker;
    private readonly string[] _clientIps;
    private readonly PriorityQueue<Action, (long Ticks, long Order)> _agenda = new();
    private readonly LogplexBodyWriter _writer = new(TargetBodyBytes);
    private long _order;
    private DateTimeOffset _clock;
    private double _trafficWobble = 1;
    private int _release = 42;

    /// <param name="start">The simulated time of the first line; kept in UTC.</param>
    /// <param name="seed">Everything random (ids, traffic, the leak's pace) derives from it.</param>
    /// <param name="requestsPerSecond">Mean router traffic for the whole fleet, before the daily swing.</param>
    public DemoFleet(DateTimeOffset start, int seed = 42, double requestsPerSecond = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requestsPerSecond);
        _random = new Random(seed);
        _requestsPerSecond = requestsPerSecond;
        _clock = Now = TruncateToMicroseconds(start.ToUniversalTime());
        _appId = 100_000_000 + _random.Next(900_000_000);
        _clientIps = [.. Enumerable.Range(0, 300).Select(_ => NewClientIp())];

        _dynos =
        [
            new DemoDyno("web.1", WebCommand, 250 + _random.Next(40)),
            new DemoDyno("web.2", WebCommand, 260),
            new DemoDyno("web.3", WebCommand, 250 + _random.Next(40)),
            new DemoDyno("web.4", WebCommand, 250 + _random.Next(40)),
            new DemoDyno("worker.1", WorkerCommand, 290 + _random.Next(30)),
        ];
        _leaky = _dynos[1];
        _worker = _dynos[4];

        foreach (var dyno in _dynos)
        {
            if (dyno == _leaky)
            {
                BootLeaky(Now);
            }
            else
            {
                // The healthy dynos have been up for hours, so their memory has long settled.
                dyno.Boot(Now - TimeSpan.FromHours(1 + _random.NextDouble() * 17), NewIncarnation(), 150, 0, _random);
            }

            // Each dyno's metrics run on its own 20 s phase, as they do on Heroku.
            StartRuntimeMetrics(dyno, Now + TimeSpan.FromSeconds(_random.NextDouble() * 20));
        }

        Schedule(Now, ArriveRequest);
        Schedule(Now, StartJob);
        Schedule(Now + TimeSpan.FromMinutes(1), WobbleTraffic);
        Schedule(Now + Minutes(20, 40), AnnounceRelease);
        Schedule(Now + Minutes(45, 90), RestartHealthyDyno);
    }

    /// <summary>The end of the simulated time covered so far.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>All syslog messages written so far.</summary>
    public int LinesProduced { get; private set; }

    /// <summary>The frame count of each body returned by the last <see cref="Advance"/> (<c>Logplex-Msg-Count</c>).</summary>
    public IReadOnlyList<int> LastFrameCounts { get; private set; } = [];

    /// <summary>When web.2's current incarnation first reported swap; null before that and after a restart.</summary>
    public DateTimeOffset? Web2SwapStartedAt { get; private set; }

    /// <summary>When the router first logged H12/H13 for web.2's current incarnation; null before that.</summary>
    public DateTimeOffset? Web2ErrorsStartedAt { get; private set; }

    /// <summary>
    /// Moves simulated time on by <paramref name="simulatedStep"/> and returns the drain bodies holding
    /// every line timestamped in [previous <see cref="Now"/>, new <see cref="Now"/>).
    /// </summary>
    public IReadOnlyList<byte[]> Advance(TimeSpan simulatedStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(simulatedStep, TimeSpan.Zero);
        var end = Now + simulatedStep;
        while (_agenda.TryPeek(out _, out var when) && when.Ticks < end.UtcTicks)
        {
            var happening = _agenda.Dequeue();
            _clock = new DateTimeOffset(when.Ticks, TimeSpan.Zero);
            happening();
        }

        Now = end;
        _clock = end;
        var (bodies, frameCounts) = _writer.TakeBodies();
        LastFrameCounts = frameCounts;
        return bodies;
    }

    // ---- log-runtime-metrics and the dyno manager ----

    private void StartRuntimeMetrics(DemoDyno dyno, DateTimeOffset first)
    {
        var incarnation = dyno.Incarnation;
        Schedule(first, () => SampleRuntime(dyno, incarnation));
    }

    private void SampleRuntime(DemoDyno dyno, string incarnation)
    {
        // A restart starts a new chain for the new incarnation; the old chain just stops.
        if (dyno.Incarnation != incarnation || dyno.State != DemoDynoState.Up)
        {
            return;
        }

        dyno.Sample(_clock, QuotaMb, _random, s_samplePeriod);
        var source = Invariant($"source={dyno.Name} dyno={dyno.Incarnation}");
        Emit(PriDynoManager, "heroku", dyno.Name, Invariant(
            $"{source} sample#load_avg_1m={dyno.Load1m:F2} sample#load_avg_5m={dyno.Load5m:F2} sample#load_avg_15m={dyno.Load15m:F2}"));
        Emit(PriDynoManager, "heroku", dyno.Name, Invariant(
            $"{source} sample#memory_total={dyno.TotalMb:F2}MB sample#memory_rss={dyno.RssMb:F2}MB sample#memory_cache={dyno.CacheMb:F2}MB sample#memory_swap={dyno.SwapMb:F2}MB sample#memory_pgpgin={dyno.PgpgIn}pages sample#memory_pgpgout={dyno.PgpgOut}pages sample#memory_quota={QuotaMb:F2}MB"));

        if (dyno == _leaky && dyno.IsSwapping)
        {
            Web2SwapStartedAt ??= _clock;
        }

        if (dyno.TotalMb > QuotaMb)
        {
            // The dyno manager's R14 report comes on its own schedule, shortly after the sample.
            var memory = Invariant($"Process running mem={Math.Round(dyno.TotalMb):F0}M({dyno.TotalMb / QuotaMb * 100:F1}%)");
            Schedule(_clock + Seconds(0.2, 1.5), () =>
            {
                Emit(PriDynoManager, "heroku", dyno.Name, memory);
                Emit(PriDynoManager, "heroku", dyno.Name, "Error R14 (Memory quota exceeded)");
            });
        }

        Schedule(_clock + s_samplePeriod, () => SampleRuntime(dyno, incarnation));
    }

    private void BootLeaky(DateTimeOffset at)
    {
        // Sized so the leak crosses the quota 10.5–14 minutes after boot.
        var bootRssMb = 330 + _random.NextDouble() * 20;
        var leakMbPerMinute = (QuotaMb - 30 - bootRssMb) / (10.5 + _random.NextDouble() * 3.5);
        _leaky.Boot(at, NewIncarnation(), bootRssMb, leakMbPerMinute, _random);
        Web2SwapStartedAt = null;
        Web2ErrorsStartedAt = null;

        // Somebody notices after a while and restarts web.2; the leak starts over.
        Schedule(at + Minutes(36, 44), () => Restart(_leaky));
    }

    private void RestartHealthyDyno()
    {
        var candidates = _dynos.Where(d => d != _leaky && d.State == DemoDynoState.Up).ToArray();
        if (candidates.Length > 0)
        {
            Restart(candidates[_random.Next(candidates.Length)]);
        }

        Schedule(_clock + Minutes(45, 90), RestartHealthyDyno);
    }

    /// <summary>The dyno manager's restart sequence, with the process's own shutdown and boot output.</summary>
    private void Restart(DemoDyno dyno)
    {
        Emit(PriDynoManager, "heroku", dyno.Name, "Restarting");
        Emit(PriDynoManager, "heroku", dyno.Name, "State changed from up to starting");
        dyno.State = DemoDynoState.Starting;

        var stopAt = _clock + Seconds(0.8, 1.6);
        Schedule(stopAt, () =>
        {
            Emit(PriDynoManager, "heroku", dyno.Name, "Stopping all processes with SIGTERM");
            foreach (var line in ShutdownOutput(dyno))
            {
                Emit(PriApp, "app", dyno.Name, line);
            }
        });

        var exitAt = stopAt + Seconds(0.3, 1.2);
        Schedule(exitAt, () => Emit(PriDynoManager, "heroku", dyno.Name, "Process exited with status 143"));

        var startAt = exitAt + Seconds(2, 6);
        Schedule(startAt, () =>
        {
            Emit(PriDynoManager, "heroku", dyno.Name, $"Starting process with command `{dyno.Command}`");
            if (dyno == _leaky)
            {
                BootLeaky(_clock);
            }
            else
            {
                dyno.Boot(_clock, NewIncarnation(), 140 + _random.NextDouble() * 30, 0, _random);
            }
        });

        var bootOutputAt = startAt + Seconds(1, 2.5);
        Schedule(bootOutputAt, () =>
        {
            foreach (var line in BootOutput(dyno))
            {
                Emit(PriApp, "app", dyno.Name, line);
            }
        });

        var upAt = bootOutputAt + Seconds(1, 4);
        Schedule(upAt, () =>
        {
            Emit(PriDynoManager, "heroku", dyno.Name, "State changed from starting to up");
            dyno.State = DemoDynoState.Up;
            StartRuntimeMetrics(dyno, _clock + Seconds(1, 19));
        });
    }

    private string[] ShutdownOutput(DemoDyno dyno) => dyno.IsWeb
        ?
        [
            "- Gracefully stopping, waiting for requests to finish",
            Invariant($"=== puma shutdown: {_clock.UtcDateTime:yyyy-MM-dd HH:mm:ss} +0000 ==="),
            "- Goodbye!",
        ]
        :
        [
            Invariant($"pid=2 tid={ThreadId()} INFO: Shutting down"),
            Invariant($"pid=2 tid={ThreadId()} INFO: Bye!"),
        ];

    private string[] BootOutput(DemoDyno dyno) => dyno.IsWeb
        ?
        [
            "Puma starting in single mode...",
            "* Puma version: 6.4.3 (ruby 3.3.5-p100) (\"The Eagle of Durango\")",
            "*  Min threads: 5",
            "*  Max threads: 5",
            "*  Environment: production",
            "*          PID: 2",
            Invariant($"* Listening on http://0.0.0.0:{10_000 + _random.Next(50_000)}"),
            "Use Ctrl-C to stop",
        ]
        :
        [
            Invariant($"pid=2 tid={ThreadId()} INFO: Booted Rails 7.2.1 application in production environment"),
            Invariant($"pid=2 tid={ThreadId()} INFO: Running in ruby 3.3.5 (2024-09-03 revision ef084cc8f4) +YJIT [x86_64-linux]"),
            Invariant($"pid=2 tid={ThreadId()} INFO: Starting processing, hit Ctrl-C to stop"),
        ];

    // ---- the router and the web dynos ----

    private void ArriveRequest()
    {
        var web = PickUpWebDyno();
        if (web is not null)
        {
            Serve(web, DemoStorefront.Next(_random));
        }

        if (_requestsPerSecond > 0)
        {
            // A Poisson process whose rate follows the time of day (peak 16:00 UTC) and a slow wobble.
            var hours = _clock.UtcDateTime.TimeOfDay.TotalHours;
            var rate = _requestsPerSecond * (1 + 0.3 * Math.Sin(2 * Math.PI * (hours - 10) / 24)) * _trafficWobble;
            var gapSeconds = -Math.Log(1 - _random.NextDouble()) / rate;
            Schedule(_clock + TimeSpan.FromSeconds(gapSeconds), ArriveRequest);
        }
    }

    private void WobbleTraffic()
    {
        _trafficWobble = Math.Clamp(1 + (_trafficWobble - 1) * 0.8 + DemoDyno.Gaussian(_random) * 0.06, 0.7, 1.3);
        Schedule(_clock + TimeSpan.FromMinutes(1), WobbleTraffic);
    }

    private DemoDyno? PickUpWebDyno()
    {
        Span<int> up = stackalloc int[_dynos.Length];
        var count = 0;
        for (var i = 0; i < _dynos.Length; i++)
        {
            if (_dynos[i].IsWeb && _dynos[i].State == DemoDynoState.Up)
            {
                up[count++] = i;
            }
        }

        return count == 0 ? null : _dynos[up[_random.Next(count)]];
    }

    private void Serve(DemoDyno dyno, DemoRequest request)
    {
        var requestId = NewUuid();
        var fwd = _clientIps[(int)(_clientIps.Length * Math.Pow(_random.NextDouble(), 2))];
        var incarnation = dyno.Incarnation;
        var arrivedAt = _clock;
        var roll = _random.NextDouble();

        if (dyno.IsSwapping)
        {
            // A swapping Ruby process stalls: some requests hang past the router's 30 s, some die, the rest crawl.
            var closedRate = Math.Min(0.04, dyno.SwapMb / 1_500);
            var stallRate = Math.Min(0.3, dyno.SwapMb / 150);
            if (roll < closedRate)
            {
                var serviceMs = 2_000 + _random.Next(20_000);
                Schedule(arrivedAt + TimeSpan.FromMilliseconds(serviceMs + request.ConnectMs), () =>
                {
                    NoteWeb2Error(dyno, incarnation);
                    Emit(PriRouter, "heroku", "router", RouterLine(
                        "at=error code=H13 desc=\"Connection closed without response\" ", request, requestId, fwd,
                        dyno.Name, Invariant($"{request.ConnectMs}ms"), Invariant($"{serviceMs}ms"), "503", "0"));
                });
                return;
            }

            if (roll < closedRate + stallRate)
            {
                var stalledMs = 8_000 + _random.Next(52_000);
                if (stalledMs >= s_routerTimeout.TotalMilliseconds)
                {
                    Schedule(arrivedAt + s_routerTimeout + TimeSpan.FromMilliseconds(request.ConnectMs), () =>
                    {
                        NoteWeb2Error(dyno, incarnation);
                        Emit(PriRouter, "heroku", "router", RouterLine(
                            "at=error code=H12 desc=\"Request timeout\" ", request, requestId, fwd, dyno.Name,
                            Invariant($"{request.ConnectMs}ms"), "30000ms", "503", "0"));
                    });

                    // Rails still finishes the request and logs it, long after the router gave up.
                    Schedule(arrivedAt + TimeSpan.FromMilliseconds(stalledMs), () =>
                        EmitAppLines(dyno, request with { ServiceMs = stalledMs }, requestId));
                    return;
                }

                request = request with { ServiceMs = stalledMs };
            }
            else
            {
                request = request with { ServiceMs = (int)(request.ServiceMs * (1 + dyno.SwapMb / 40)) };
            }
        }
        else if (roll < 1.0 / 40_000)
        {
            // The rare platform hiccup any dyno can see: the router could not connect within 5 s.
            Schedule(arrivedAt + TimeSpan.FromMilliseconds(5_000 + _random.Next(5)), () =>
                Emit(PriRouter, "heroku", "router", RouterLine(
                    "at=error code=H19 desc=\"Backend connection timeout\" ", request, requestId, fwd, dyno.Name,
                    Invariant($"{5_000 + _random.Next(5)}ms"), string.Empty, "503", string.Empty)));
            return;
        }
        else if (roll < 2.0 / 40_000)
        {
            // …or the backend socket closed mid-request.
            Schedule(arrivedAt + TimeSpan.FromMilliseconds(request.ServiceMs), () =>
                Emit(PriRouter, "heroku", "router", "sock=backend " + RouterLine(
                    "at=error code=H18 desc=\"Server Request Interrupted\" ", request, requestId, fwd, dyno.Name,
                    Invariant($"{request.ConnectMs}ms"), Invariant($"{request.ServiceMs}ms"), "503", string.Empty)));
            return;
        }

        Schedule(arrivedAt + TimeSpan.FromMilliseconds(request.ConnectMs + request.ServiceMs), () =>
        {
            dyno.WorkSinceSample++;
            EmitAppLines(dyno, request, requestId);
            Emit(PriRouter, "heroku", "router", RouterLine(
                "at=info ", request, requestId, fwd, dyno.Name, Invariant($"{request.ConnectMs}ms"),
                Invariant($"{request.ServiceMs}ms"), Invariant($"{request.Status}"), Invariant($"{request.Bytes}")));
        });
    }

    private void NoteWeb2Error(DemoDyno dyno, string incarnation)
    {
        // Only errors of the current incarnation belong to the current leak: stragglers from before a
        // restart must not mark the fresh web.2 as failing.
        if (dyno == _leaky && incarnation == dyno.Incarnation)
        {
            Web2ErrorsStartedAt ??= _clock;
        }
    }

    private static string RouterLine(
        string lead, DemoRequest request, string requestId, string fwd, string dyno, string connect, string service,
        string status, string bytes) => Invariant(
        $"{lead}method={request.Route.Method} path=\"{request.Path}\" host={RouterHost} request_id={requestId} fwd=\"{fwd}\" dyno={dyno} connect={connect} service={service} status={status} bytes={bytes} protocol=https");

    /// <summary>What the Rails app writes for a finished request: lograge's logfmt line plus the odd plain line.</summary>
    private void EmitAppLines(DemoDyno dyno, DemoRequest request, string requestId)
    {
        var route = request.Route;
        if (route.Controller is null)
        {
            if (route.Path == "/wp-login.php")
            {
                Emit(PriApp, "app", dyno.Name, "ActionController::RoutingError (No route matches [GET] \"/wp-login.php\"):");
            }

            return;
        }

        if (request.Status == 500)
        {
            Emit(PriApp, "app", dyno.Name, Invariant(
                $"[{requestId}] ActiveRecord::QueryCanceled (PG::QueryCanceled: ERROR:  canceling statement due to statement timeout):"));
        }
        else if (route.Action == "show" && request.Status == 200 && _random.NextDouble() < 0.05)
        {
            // An en dash: a multibyte character, so frame counts are visibly bytes, not chars.
            Emit(PriApp, "app", dyno.Name, Invariant(
                $"Cache read: views{request.Path}/summary – hit ({0.2 + _random.NextDouble():F1}ms)"));
        }
        else if (route.Controller == "Api::V1::OrdersController" && route.Action == "create")
        {
            Emit(PriApp, "app", dyno.Name, Invariant(
                $"[ActiveJob] Enqueued OrderConfirmationJob (Job ID: {NewUuid()}) to Sidekiq(default)"));
        }

        var duration = Math.Max(0.5, request.ServiceMs - _random.NextDouble() * 2);
        var db = duration * (0.1 + _random.NextDouble() * 0.3);
        var view = route.Format == "html" && request.Status < 300 ? duration * (0.2 + _random.NextDouble() * 0.4) : 0;
        var location = request.Status == 302 ? Invariant($" location=https://{RouterHost}/cart") : string.Empty;
        var path = request.Path.Replace(" ", "%20", StringComparison.Ordinal);
        Emit(PriApp, "app", dyno.Name, Invariant(
            $"method={route.Method} path={path} format={route.Format} controller={route.Controller} action={route.Action} status={request.Status} duration={duration:F2} view={view:F2} db={db:F2}{location}"));
    }

    // ---- the worker ----

    private void StartJob()
    {
        if (_worker.State == DemoDynoState.Up)
        {
            var jobClass = s_jobClasses[_random.Next(s_jobClasses.Length)];
            var prefix = Invariant($"pid=2 tid={ThreadId()} class={jobClass} jid={Convert.ToHexStringLower(NewBytes(12))}");
            Emit(PriApp, "app", _worker.Name, prefix + " INFO: start");

            var elapsed = 0.3 * Math.Exp(0.8 * DemoDyno.Gaussian(_random));
            var failed = jobClass == "WebhookDeliveryJob" && _random.NextDouble() < 0.05;
            if (failed)
            {
                elapsed = 5 + _random.NextDouble() * 0.01;
            }

            Schedule(_clock + TimeSpan.FromSeconds(elapsed), () =>
            {
                _worker.WorkSinceSample++;
                if (failed)
                {
                    Emit(PriApp, "app", _worker.Name, Invariant($"{prefix} elapsed={elapsed:F3} INFO: fail"));
                    Emit(PriApp, "app", _worker.Name, Invariant(
                        $"{prefix} WARN: Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)>"));
                }
                else
                {
                    Emit(PriApp, "app", _worker.Name, Invariant($"{prefix} elapsed={elapsed:F3} INFO: done"));
                }
            });
        }

        Schedule(_clock + TimeSpan.FromSeconds(-Math.Log(1 - _random.NextDouble()) * 2.5), StartJob);
    }

    // ---- the platform API ----

    private void AnnounceRelease()
    {
        // In the demo a release does not cycle the fleet, so the web.2 story is not cut short.
        var sha = Convert.ToHexStringLower(NewBytes(4))[..7];
        Emit(PriApi, "app", "api", Invariant($"Deploy {sha} by user {DeployUser}"));
        Emit(PriApi, "app", "api", Invariant($"Release v{_release++} created by user {DeployUser}"));
        Schedule(_clock + Minutes(90, 180), AnnounceRelease);
    }

    // ---- plumbing ----

    private void Schedule(DateTimeOffset at, Action happening)
    {
        // Microsecond resolution keeps event order identical to the order of the printed timestamps.
        var ticks = Math.Max(TruncateToMicroseconds(at).UtcTicks, _clock.UtcTicks);
        _agenda.Enqueue(happening, (ticks, _order++));
    }

    private void Emit(int pri, string appName, string procId, string message)
    {
        _writer.Append(Invariant(
            $"<{pri}>1 {_clock.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff}+00:00 host {appName} {procId} - {message}\n"));
        LinesProduced++;
    }

    private string NewIncarnation() => Invariant($"heroku.{_appId}.{NewUuid()}");

    /// <summary>A v4-shaped UUID from the seeded generator (so ids repeat with the seed).</summary>
    private string NewUuid()
    {
        var bytes = NewBytes(16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(bytes);
        return string.Join('-', hex[..8], hex[8..12], hex[12..16], hex[16..20], hex[20..]);
    }

    private byte[] NewBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string NewClientIp() => Invariant(
        $"{1 + _random.Next(223)}.{_random.Next(256)}.{_random.Next(256)}.{1 + _random.Next(254)}");

    /// <summary>A short thread id like the ones Sidekiq prints (<c>tid=2mvi</c>).</summary>
    private string ThreadId() => Convert.ToString(1_000 + _random.Next(40_000), 16);

    private TimeSpan Minutes(double min, double max) => TimeSpan.FromMinutes(min + _random.NextDouble() * (max - min));

    private TimeSpan Seconds(double min, double max) => TimeSpan.FromSeconds(min + _random.NextDouble() * (max - min));

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
