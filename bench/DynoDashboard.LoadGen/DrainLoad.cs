using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace DynoDashboard.LoadGen;

/// <summary>
/// Posts Logplex bodies from <see cref="LoadOptions.Concurrency"/> loops until the time is up, then (for the real
/// drain) waits for the ingestion queue to empty, so "processed" counts only lines the service finished.
/// </summary>
public sealed class DrainLoad : IDisposable
{
    private const int BodyVariants = 16;

    private readonly LoadOptions _options;
    private readonly HttpClient _client;
    private readonly StampedBody[] _bodies;
    private readonly string _runId = Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
    private long _frameCounter;
    private long _linesAccepted;
    private long _runtimeAccepted;
    private long _routerAccepted;
    private long _linesReserved;
    private long _rejected503;
    private long _otherFailures;

    public DrainLoad(LoadOptions options)
    {
        _options = options;
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            BaseAddress = options.Url,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"token:{options.Key}")));
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Logplex/loadgen");

        // Several seeds, so consecutive POSTs are not byte-identical (different request ids, dynos, values).
        _bodies = [.. Enumerable.Range(0, BodyVariants).Select(i => new StampedBody(options.BodyKiB * 1024, 20250808 + i, options.Dynos))];
    }

    public long LinesAccepted => Interlocked.Read(ref _linesAccepted);

    public double MeanFramesPerBody => _bodies.Average(b => (double)b.Frames);

    public double MeanBodyBytes => _bodies.Average(b => (double)b.Length);

    public async Task<LoadResult> RunAsync(CancellationToken cancellationToken)
    {
        var path = (_options.Bare ? "/drain-bare/" : "/drain/") + _options.App;
        var before = _options.Bare ? null : await GetStatusAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(_options.Seconds);
        var simulatedStart = DateTime.UtcNow;
        using var progress = _options.Seconds > 60 ? new Timer(_ => Report(clock), null, 10_000, 10_000) : null;

        var loops = Enumerable.Range(0, _options.Concurrency)
            .Select(i => Task.Run(() => PostLoopAsync(i, path, clock, deadline, simulatedStart, cancellationToken), cancellationToken))
            .ToArray();
        var latencies = (await Task.WhenAll(loops)).SelectMany(l => l).ToArray();
        var postingTime = clock.Elapsed;

        long? processed = null;
        TimeSpan? drainedAt = null;
        OverloadFigures? overload = null;
        if (before is not null)
        {
            // End to end: lines the ingestion service finished, counted until its queue is empty.
            var after = await WaitForDrainedAsync(cancellationToken);
            drainedAt = clock.Elapsed;
            processed = after.LinesParsed - before.LinesParsed;
            overload = new OverloadFigures(
                RuntimeAccepted: Interlocked.Read(ref _runtimeAccepted),
                RuntimeProcessed: after.RuntimeLines - before.RuntimeLines,
                RouterAccepted: Interlocked.Read(ref _routerAccepted),
                RouterProcessed: after.RouterLines - before.RouterLines,
                ShedBatches: after.ShedBatches - before.ShedBatches,
                ShedRouterLines: after.ShedRouterLines - before.ShedRouterLines,
                ShedAppLines: after.ShedAppLines - before.ShedAppLines,
                HistoryDroppedFacts: after.HistoryDroppedFacts - before.HistoryDroppedFacts)
            {
                HistoryWaits = after.HistoryWaits - before.HistoryWaits,
            };
        }

        Array.Sort(latencies);
        return new LoadResult(postingTime, latencies, LinesAccepted, Interlocked.Read(ref _rejected503),
            Interlocked.Read(ref _otherFailures), processed, drainedAt) { Overload = overload };
    }

    public void Dispose() => _client.Dispose();

    private async Task<List<double>> PostLoopAsync(int loop, string path, Stopwatch clock, TimeSpan deadline,
        DateTime simulatedStart, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(4096);
        var buffers = _bodies.Select(b => b.NewBuffer()).ToArray();
        for (var i = loop; clock.Elapsed < deadline && !cancellationToken.IsCancellationRequested; i++)
        {
            var variant = i % _bodies.Length;
            var body = _bodies[variant];
            await PaceAsync(body.Frames, clock, deadline, cancellationToken);
            if (clock.Elapsed >= deadline)
            {
                break;
            }

            var simulatedNow = simulatedStart + (clock.Elapsed * _options.TimeScale);
            body.Stamp(buffers[variant], simulatedNow);
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new ByteArrayContent(buffers[variant], 0, body.Length),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/logplex-1");
            request.Headers.Add("Logplex-Msg-Count", body.Frames.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("Logplex-Frame-Id", NextFrameId());
            request.Headers.Add("Logplex-Drain-Token", "d.00000000-0000-4000-8000-00000000load");

            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await _client.SendAsync(request, cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    Interlocked.Add(ref _linesAccepted, body.Frames);
                    Interlocked.Add(ref _runtimeAccepted, body.RuntimeFrames);
                    Interlocked.Add(ref _routerAccepted, body.RouterFrames);
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref _rejected503);
                }
                else
                {
                    Interlocked.Increment(ref _otherFailures);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _otherFailures);
            }
        }

        return latencies;
    }

    /// <summary>With --lines-per-second, holds a POST until the lines before it are due; a slow server is caught up.</summary>
    private async Task PaceAsync(int frames, Stopwatch clock, TimeSpan deadline, CancellationToken cancellationToken)
    {
        if (_options.LinesPerSecond is not { } rate)
        {
            return;
        }

        var linesBefore = Interlocked.Add(ref _linesReserved, frames) - frames;
        var due = TimeSpan.FromSeconds(linesBefore / rate);
        var wait = (due < deadline ? due : deadline) - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }

    // 32 uppercase hex characters like Logplex's MD5 ids, unique per POST so none is dropped as a retry.
    private string NextFrameId() => string.Create(CultureInfo.InvariantCulture,
        $"{_runId}{Interlocked.Increment(ref _frameCounter):X24}");

    private async Task<DrainStatus> WaitForDrainedAsync(CancellationToken cancellationToken)
    {
        var giveUp = Stopwatch.StartNew();
        while (true)
        {
            var status = await GetStatusAsync(cancellationToken);
            // Received counts the batches turned away with 503 too; those are never processed.
            if ((status.QueueDepth == 0 && status.BatchesProcessed >= status.BatchesReceived - status.QueueFull) ||
                giveUp.Elapsed > TimeSpan.FromMinutes(2))
            {
                return status;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private async Task<DrainStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        // /api/status sits behind sign-in; tools present an API key (Dashboard:ApiKeys) as a Bearer token.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/status", UriKind.Relative));
        if (_options.ApiKey is { Length: > 0 } apiKey)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var response = await _client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = json.RootElement;
        return new DrainStatus(
            root.GetProperty("linesParsed").GetInt64(),
            root.GetProperty("batchesReceived").GetInt64(),
            root.GetProperty("batchesProcessed").GetInt64(),
            root.GetProperty("queueDepth").GetInt32(),
            root.GetProperty("rejections").GetProperty("queueFull").GetInt64(),
            root.GetProperty("linesByKind").GetProperty("runtime").GetInt64(),
            root.GetProperty("linesByKind").GetProperty("router").GetInt64(),
            root.TryGetProperty("shedding", out var shed) ? shed.GetProperty("batches").GetInt64() : 0,
            shed.ValueKind == JsonValueKind.Object ? shed.GetProperty("routerLines").GetInt64() : 0,
            shed.ValueKind == JsonValueKind.Object ? shed.GetProperty("appLines").GetInt64() : 0,
            root.TryGetProperty("history", out var history) && history.ValueKind == JsonValueKind.Object
                ? history.GetProperty("droppedFacts").GetInt64()
                : 0)
        {
            HistoryWaits = history.ValueKind == JsonValueKind.Object && history.TryGetProperty("waits", out var waits) ? waits.GetInt64() : 0,
        };
    }

    private void Report(Stopwatch clock) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {clock.Elapsed.TotalSeconds,6:0}s  accepted {LinesAccepted,12:N0} lines  ({LinesAccepted / clock.Elapsed.TotalSeconds,9:N0}/s)  503s {Interlocked.Read(ref _rejected503)}"));

    private sealed record DrainStatus(long LinesParsed, long BatchesReceived, long BatchesProcessed, int QueueDepth, long QueueFull,
        long RuntimeLines, long RouterLines, long ShedBatches, long ShedRouterLines, long ShedAppLines, long HistoryDroppedFacts)
    {
        public long HistoryWaits { get; init; }
    }
}

/// <summary>What one run measured; latencies are sorted, in milliseconds.</summary>
public sealed record LoadResult(
    TimeSpan PostingTime,
    double[] LatenciesMs,
    long LinesAccepted,
    long Rejected503,
    long OtherFailures,
    long? LinesProcessed,
    TimeSpan? DrainedAt)
{
    /// <summary>What overload did to the accepted lines (real drain only).</summary>
    public OverloadFigures? Overload { get; init; }

    public double Percentile(double p) =>
        LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[(int)Math.Round(p * (LatenciesMs.Length - 1))];
}

/// <summary>Accepted vs processed runtime and router lines, and what shedding and the history queue dropped.</summary>
public sealed record OverloadFigures(
    long RuntimeAccepted,
    long RuntimeProcessed,
    long RouterAccepted,
    long RouterProcessed,
    long ShedBatches,
    long ShedRouterLines,
    long ShedAppLines,
    long HistoryDroppedFacts)
{
    /// <summary>Times ingestion waited for the history writer (its queue of samples, router facts and events was full).</summary>
    public long HistoryWaits { get; init; }
}
