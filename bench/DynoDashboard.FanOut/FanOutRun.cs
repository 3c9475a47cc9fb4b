using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DynoDashboard.FanOut;

/// <summary>
/// One fan-out measurement. Update i is a runtime sample of <c>web.1</c> whose 1-minute load is i / 100, so a
/// client can tell which update a <c>samples</c> message carries without any extra field in the hub's protocol.
/// Latency runs from just before the drain POST to the client's handler: drain, queue, parse, store, the feed's
/// 250-ms coalescing and the hub's send to that client.
/// </summary>
public sealed class FanOutRun(FanOutOptions options) : IAsyncDisposable
{
    private const string Dyno = "web.1";

    private readonly List<HubConnection> _connections = [];
    private readonly HttpClient _drain = new() { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(10) };

    // Stopwatch timestamps: when update i was posted, and when client c first saw it (0 = not yet).
    private readonly long[] _sentAt = new long[options.Updates + 1];
    private readonly long[][] _receivedAt = Enumerable.Range(0, options.Clients).Select(_ => new long[options.Updates + 1]).ToArray();

    // Messages to the first client that carried two or more new updates: how often two posts shared one round.
    private int _sharedRounds;

    public async Task<FanOutResult> RunAsync(CancellationToken cancellationToken)
    {
        _drain.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"token:{options.IngestKey}")));

        // Times step by Heroku's 20-s cadence and end before now, so each update is a new newest sample.
        var firstSample = DateTimeOffset.UtcNow.AddSeconds(-20.0 * (options.Updates + 2));
        await PostAsync(firstSample, 0, cancellationToken); // the app exists before anyone subscribes

        var rssBefore = ReadRssKiB();
        var connectWatch = Stopwatch.StartNew();
        var failures = await ConnectAllAsync(cancellationToken);
        connectWatch.Stop();
        var rssAfter = ReadRssKiB();

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.IntervalMs));
        for (var i = 1; i <= options.Updates && await timer.WaitForNextTickAsync(cancellationToken); i++)
        {
            await PostAsync(firstSample.AddSeconds(20 * i), i, cancellationToken);
        }

        // Give the last update time to arrive: a fixed grace, as the run's end is not a timed assertion.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        return Collect(connectWatch.Elapsed, failures, rssBefore, rssAfter);
    }

    private async Task<int> ConnectAllAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        using var gate = new SemaphoreSlim(options.ConnectConcurrency);
        var tasks = Enumerable.Range(0, options.Clients).Select(async client =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var connection = Build(client);
                await connection.StartAsync(cancellationToken);
                await connection.InvokeAsync("Subscribe", options.App, cancellationToken);
                lock (_connections)
                {
                    _connections.Add(connection);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException
                                           or System.Net.WebSockets.WebSocketException or HubException)
            {
                Interlocked.Increment(ref failures);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);
        return failures;
    }

    private HubConnection Build(int client)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(options.Url, "hubs/live"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true; // WebSockets only: the negotiate round trip adds nothing to measure
                o.AccessTokenProvider = () => Task.FromResult<string?>(options.ApiKey);
            })
            .Build();
        var received = _receivedAt[client];
        connection.On<string, JsonElement>("samples", (_, dynos) =>
        {
            var now = Stopwatch.GetTimestamp();
            var fresh = 0;
            foreach (var dyno in dynos.EnumerateArray())
            {
                if (dyno.GetProperty("name").GetString() == Dyno &&
                    dyno.GetProperty("load1m").GetDouble() is var load)
                {
                    var update = (int)Math.Round(load * 100);
                    if (update is > 0 && update < received.Length && received[update] == 0)
                    {
                        received[update] = now;
                        fresh++;
                    }
                }
            }

            if (client == 0 && fresh > 1)
            {
                Interlocked.Increment(ref _sharedRounds);
            }
        });
        return connection;
    }

    private async Task PostAsync(DateTimeOffset time, int update, CancellationToken cancellationToken)
    {
        var load = (update / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
        var message = $"<134>1 {time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'} host heroku {Dyno} - " +
                      $"source={Dyno} dyno=heroku.1.fan-out sample#load_avg_1m={load} sample#load_avg_5m={load} sample#load_avg_15m={load}\n";
        var frame = $"{Encoding.UTF8.GetByteCount(message)} {message}";
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(frame));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/logplex-1");
        _sentAt[update] = Stopwatch.GetTimestamp();
        using var response = await _drain.PostAsync(new Uri($"drain/{options.App}", UriKind.Relative), content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private FanOutResult Collect(TimeSpan connectTime, int failures, long? rssBefore, long? rssAfter)
    {
        var latencies = new List<double>(_connections.Count * options.Updates);
        var complete = 0;
        var clientsSeen = 0;
        foreach (var received in _receivedAt)
        {
            if (received.All(t => t == 0))
            {
                continue; // a client that never connected is counted in the connect failures
            }

            clientsSeen++;
            var all = true;
            for (var i = 1; i <= options.Updates; i++)
            {
                if (received[i] == 0)
                {
                    all = false;
                    continue;
                }

                latencies.Add(Stopwatch.GetElapsedTime(_sentAt[i], received[i]).TotalMilliseconds);
            }

            complete += all ? 1 : 0;
        }

        latencies.Sort();
        return new FanOutResult(_connections.Count, failures, connectTime, (long)_connections.Count * options.Updates,
            latencies.Count, complete, [.. latencies], rssBefore, rssAfter, Volatile.Read(ref _sharedRounds));
    }

    private long? ReadRssKiB()
    {
        if (options.ServerPid is not { } pid)
        {
            return null;
        }

        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        _drain.Dispose();
    }
}

public sealed record FanOutResult(
    int Connected,
    int ConnectFailures,
    TimeSpan ConnectTime,
    long Expected,
    long Delivered,
    int CompleteClients,
    double[] LatenciesMs,
    long? RssBeforeKiB,
    long? RssAfterKiB,
    int SharedRounds)
{
    public double Percentile(double p) =>
        LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)Math.Ceiling(p * LatenciesMs.Length) - 1)];
}
