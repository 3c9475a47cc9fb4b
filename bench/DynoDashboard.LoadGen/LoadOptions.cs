using System.Globalization;

namespace DynoDashboard.LoadGen;

/// <summary>The command line. Only loopback targets are accepted: this tool is for measuring, not for load-testing
/// someone else's server.</summary>
public sealed record LoadOptions(
    Uri Url,
    string App,
    string Key,
    string ApiKey,
    int Seconds,
    int Concurrency,
    int BodyKiB,
    int Dynos,
    bool Bare,
    double? LinesPerSecond,
    double TimeScale,
    int? RssPid,
    string? RssCsv)
{
    public const string Usage = """
        dotnet run -c Release --project bench/DynoDashboard.LoadGen -- --url http://127.0.0.1:PORT [options]
          --seconds N            how long to post (default 20); the run always stops by itself
          --concurrency N        parallel POST loops (default 8)
          --body-kb N            Logplex body size in KiB (default 100, as logplex batches)
          --dynos N              dynos the lines are spread over (default 100)
          --app NAME             the app in /drain/{app} (default loadgen)
          --key KEY              the ingest key, sent as the Basic auth password
          --api-key KEY          a Dashboard:ApiKeys key for /api/status (needed unless Dashboard:Auth:Mode=None)
          --bare                 post to /drain-bare/{app} (needs Ingest:BareEndpointForBenchmarks=true): the baseline
          --lines-per-second N   pace the POSTs to about N lines/s in total (default: as fast as answered)
          --time-scale N         simulated seconds per real second in the stamped timestamps (default 1)
          --rss-pid PID          sample VmRSS of PID every 10 s...
          --rss-csv FILE         ...into this CSV
        """;

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var bare = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--bare")
            {
                bare = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }
        }

        if (!values.TryGetValue("url", out var url))
        {
            throw new ArgumentException("--url is required.");
        }

        var uri = new Uri(url, UriKind.Absolute);
        if (!uri.IsLoopback)
        {
            throw new ArgumentException("--url must be a loopback address (127.0.0.1, [::1] or localhost).");
        }

        var options = new LoadOptions(
            uri,
            values.GetValueOrDefault("app", "loadgen"),
            values.GetValueOrDefault("key", string.Empty),
            values.GetValueOrDefault("api-key", string.Empty),
            Int(values, "seconds", 20),
            Int(values, "concurrency", 8),
            Int(values, "body-kb", 100),
            Int(values, "dynos", 100),
            bare,
            values.TryGetValue("lines-per-second", out var lps) ? double.Parse(lps, CultureInfo.InvariantCulture) : null,
            values.TryGetValue("time-scale", out var scale) ? double.Parse(scale, CultureInfo.InvariantCulture) : 1,
            values.TryGetValue("rss-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            values.GetValueOrDefault("rss-csv"));
        if (options.Seconds <= 0 || options.Concurrency <= 0 || options.BodyKiB <= 0 || options.Dynos < 2 ||
            options.LinesPerSecond <= 0 || options.TimeScale <= 0)
        {
            throw new ArgumentException("--seconds, --concurrency, --body-kb, --lines-per-second and --time-scale must be > 0; --dynos >= 2.");
        }

        return options;
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback) =>
        values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
