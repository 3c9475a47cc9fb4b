using System.Globalization;

namespace DynoDashboard.FanOut;

/// <summary>The command line. Loopback only: this tool measures a local dashboard, it does not load-test others.</summary>
public sealed record FanOutOptions(
    Uri Url,
    string App,
    string IngestKey,
    string ApiKey,
    int Clients,
    int Updates,
    int IntervalMs,
    int ConnectConcurrency,
    int? ServerPid)
{
    public const string Usage = """
        dotnet run -c Release --project bench/DynoDashboard.FanOut -- --url http://127.0.0.1:PORT --key INGEST --api-key KEY [options]
          --clients N              SignalR clients subscribed to the app (default 1000)
          --updates N              runtime samples posted, one per interval (default 120 = 30 s)
          --interval-ms N          time between posted samples (default 250)
          --connect-concurrency N  clients connecting at once (default 50)
          --app NAME               a new app (default fanout-UNIXTIME; reusing one hides this run's samples)
          --server-pid PID         also report the server's VmRSS before and after the clients connect
        """;

    public static FanOutOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        var url = new Uri(values.GetValueOrDefault("url") ?? throw new ArgumentException("--url is required."), UriKind.Absolute);
        if (!url.IsLoopback)
        {
            throw new ArgumentException("--url must be a loopback address (127.0.0.1, [::1] or localhost).");
        }

        var options = new FanOutOptions(
            url,
            // A fresh app per run: samples left by an earlier run would be newer than this run's and hide them.
            values.GetValueOrDefault("app") ?? "fanout-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            values.GetValueOrDefault("key") ?? throw new ArgumentException("--key (the ingest key) is required."),
            values.GetValueOrDefault("api-key") ?? throw new ArgumentException("--api-key is required."),
            Int(values, "clients", 1000),
            Int(values, "updates", 120),
            Int(values, "interval-ms", 250),
            Int(values, "connect-concurrency", 50),
            values.TryGetValue("server-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null);
        if (options.Clients < 1 || options.Updates < 1 || options.Updates > 10_000 || options.IntervalMs < 10 || options.ConnectConcurrency < 1)
        {
            throw new ArgumentException("--clients, --updates (≤ 10000), --interval-ms (≥ 10) and --connect-concurrency must be positive.");
        }

        return options;
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback) =>
        values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
