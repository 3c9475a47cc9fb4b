using System.Collections.Concurrent;
using System.Diagnostics;
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

    public static async Task<ChildDashboard> StartAsync(string dataFolder, TimeSpan flushInterval)
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
                     "--Demo:Enabled=false"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
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

        var child = new ChildDashboard(process, output, await address.Task.WaitAsync(s_startTimeout));
        await child.WaitUntilHealthyAsync();
        return child;

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

    /// <summary>SIGKILL, no shutdown: nothing is flushed, as in a crash or <c>kill -9</c>.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>The <c>history</c> section of <c>/api/status</c>: facts accepted into the queue and written to disk.</summary>
    public async Task<(long Accepted, long Written)> HistoryAsync()
    {
        using var json = JsonDocument.Parse(await Api.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
        var history = json.RootElement.GetProperty("history");
        return (history.GetProperty("acceptedFacts").GetInt64(), history.GetProperty("writtenFacts").GetInt64());
    }

    /// <summary>The drain journal's end and history's checkpoint: equal once everything journaled (replays
    /// included) is in history.</summary>
    public async Task<(long Position, long Checkpoint, long Replayed)> JournalAsync()
    {
        using var json = JsonDocument.Parse(await Api.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
        var journal = json.RootElement.GetProperty("journal");
        return (journal.GetProperty("position").GetInt64(),
            json.RootElement.GetProperty("history").GetProperty("journalCheckpoint").GetInt64(),
            journal.GetProperty("replayedBatches").GetInt64());
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

    private async Task WaitUntilHealthyAsync()
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
