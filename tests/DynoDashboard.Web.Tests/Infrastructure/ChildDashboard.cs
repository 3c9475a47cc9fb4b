using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>
/// The real app as a child process (<c>dotnet DynoDashboard.Web.dll</c>) on a data folder of the test's choosing, so
/// a test can SIGKILL it and start it again on the same file. Readiness is awaited through <c>/healthz</c>.
/// </summary>
internal sealed class ChildDashboard : IDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ChildDashboard(Process process, ConcurrentQueue<string> output, Uri address)
    {
        _process = process;
        _output = output;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"token:{DashboardFactory.Key}")));
        Api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardFactory.ApiKey);
    }

    /// <summary>A client for <c>/api</c>, with the API key (the drain's ingest key opens only the drain).</summary>
    public HttpClient Api { get; }

    /// <summary>Sends the ingest key on every request; the API ignores it.</summary>
    public HttpClient Client { get; }

    public string Output => string.Join('\n', _output);

    /// <param name="settings">More settings, as <c>--Section:Key=value</c> arguments.</param>
    public static async Task<ChildDashboard> StartAsync(string dataFolder, TimeSpan flushInterval, params string[] settings)
    {
        var child = await StartListeningAsync(dataFolder, flushInterval, settings);
        await child.WaitUntilHealthyAsync();
        return child;
    }

    /// <summary>As <see cref="StartAsync"/>, but returns as soon as the app listens, healthy or not (a start that waits
    /// for its database, say).</summary>
    public static async Task<ChildDashboard> StartListeningAsync(string dataFolder, TimeSpan flushInterval, params string[] settings)
    {
        var start = StartInfo(dataFolder, flushInterval, settings);
        var output = new ConcurrentQueue<string>();
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException(
            $"The app exited with {process.ExitCode} before listening:\n{string.Join('\n', output)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        return new ChildDashboard(process, output, await address.Task.WaitAsync(s_startTimeout));

        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            const string listening = "Now listening on: ";
            var at = line.IndexOf(listening, StringComparison.Ordinal);
            if (at >= 0)
            {
                address.TrySetResult(new Uri(line[(at + listening.Length)..].Trim()));
            }
        }
    }

    /// <summary>Runs the app on <paramref name="dataFolder"/> expecting it to stop by itself (a start that must fail):
    /// its exit code and everything it wrote, or a timeout if it is still running after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dataFolder, TimeSpan timeout)
    {
        using var process = new Process { StartInfo = StartInfo(dataFolder, TimeSpan.FromSeconds(1), []) };
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token); // also waits for the output's end
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Still running after {timeout}:\n{string.Join('\n', output)}");
        }

        return (process.ExitCode, string.Join('\n', output));
    }

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    private static ProcessStartInfo StartInfo(string dataFolder, TimeSpan flushInterval, string[] settings)
    {
        Directory.CreateDirectory(dataFolder);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[
                     Path.Combine(AppContext.BaseDirectory, "DynoDashboard.Web.dll"),
                     "--urls", "http://127.0.0.1:0",
                     $"--Storage:Path={Path.Combine(dataFolder, "dynodash.db")}",
                     $"--Storage:FlushInterval={flushInterval:c}",
                     $"--Ingest:Key={DashboardFactory.Key}",
                     $"--Dashboard:ApiKeys:0={DashboardFactory.ApiKey}",
                     // These tests poll the API for their conditions; its rate limit has tests of its own.
                     "--Dashboard:RateLimits:ApiPerMinute=1000000",
                     // A line per polled request would bury the app's own words in the output a failure shows.
                     "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
                     "--Demo:Enabled=false", .. settings])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return start;
    }

    /// <summary>SIGKILL, no shutdown: nothing is flushed, as in a crash or <c>kill -9</c>.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a container stop or <c>heroku ps:restart</c> sends: a graceful shutdown, which must end
    /// within the host's timeout. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    /// <summary>The <c>history</c> section of <c>/api/status</c>: facts accepted into the queue and written to disk.</summary>
    public async Task<(long Accepted, long Written)> HistoryAsync()
    {
        using var json = await StatusAsync();
        var history = json.RootElement.GetProperty("history");
        return (history.GetProperty("acceptedFacts").GetInt64(), history.GetProperty("writtenFacts").GetInt64());
    }

    /// <summary>The drain journal's end and history's checkpoint: equal once everything journaled (replays
    /// included) is in history.</summary>
    public async Task<(long Position, long Checkpoint, long Replayed)> JournalAsync()
    {
        using var json = await StatusAsync();
        var journal = json.RootElement.GetProperty("journal");
        return (journal.GetProperty("position").GetInt64(),
            json.RootElement.GetProperty("history").GetProperty("journalCheckpoint").GetInt64(),
            journal.GetProperty("replayedBatches").GetInt64());
    }

    /// <summary><c>/api/status</c>; a failure carries the end of the app's output, which says why.</summary>
    public async Task<JsonDocument> StatusAsync()
    {
        using var response = await GetStatusAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"/api/status answered {(int)response.StatusCode}; the app's last output:\n" +
                string.Join('\n', Output.Split('\n').TakeLast(40)));
        }

        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    // The API is rate limited per client (600 a minute by default); a waiting test keeps under it, and a slow machine,
    // where the wait lasts longer, still gets its answer: a 429 is waited out as its Retry-After says.
    private async Task<HttpResponseMessage> GetStatusAsync()
    {
        while (true)
        {
            var response = await Api.GetAsync(new Uri("/api/status", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait);
        }
    }

    /// <summary>How often a test polls another process's <c>/api/status</c>: well under the API's rate limit.</summary>
    public static readonly TimeSpan StatusPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Waits until history's checkpoint is at the journal's end (everything acknowledged is in history);
    /// returns how many batches were replayed from the journal at start.</summary>
    public async Task<long> WaitUntilJournalWrittenAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var status = await StatusAsync();
            var journal = status.RootElement.GetProperty("journal");
            var position = journal.GetProperty("position").GetInt64();
            if (status.RootElement.GetProperty("history").GetProperty("journalCheckpoint").GetInt64() == position)
            {
                return journal.GetProperty("replayedBatches").GetInt64();
            }

            if (deadline.Elapsed > timeout)
            {
                // Say where it stood: the status, the app's own last words, and where the rest of them are.
                var log = Path.Combine(Path.GetTempPath(), $"dynodash-child-{_process.Id}.log");
                await File.WriteAllTextAsync(log, Output);
                throw new TimeoutException($"History did not reach the journal's end ({position}) within {timeout}. " +
                    $"Last /api/status:\n{status.RootElement}\nThe app's whole output is in {log}; its last lines:\n" +
                    string.Join('\n', Output.Split('\n').TakeLast(40)));
            }

            // Another process: its status is the only signal there is, so it is polled, with a deadline.
            await Task.Delay(StatusPollInterval);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        Client.Dispose();
        Api.Dispose();
    }

    /// <summary>Until <c>/healthz</c> answers 200.</summary>
    public async Task WaitUntilHealthyAsync()
    {
        using var timeout = new CancellationTokenSource(s_startTimeout);
        while (true)
        {
            try
            {
                using var response = await Client.GetAsync(new Uri("/healthz", UriKind.Relative), timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not accepting connections yet.
            }

            // Polls with a deadline: the app has no other way to say "ready" to another process.
            await Task.Delay(50, timeout.Token);
        }
    }
}
