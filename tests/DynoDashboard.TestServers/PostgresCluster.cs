using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace DynoDashboard.TestServers;

/// <summary>
/// A throw-away PostgreSQL cluster for one test run: initdb into a temporary folder, the server on a free loopback
/// port with its socket in that folder, stopped and deleted at the end. PostgreSQL refuses to run as root, so as
/// root every server command runs as the <c>postgres</c> user (stack-notes.md 18). Started on first use, so a run
/// whose Postgres tests are all skipped starts nothing. Durability is switched off: the data dies with the run.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private const string InstallHint = "install it with: apt-get install -y postgresql";
    private readonly Lazy<string> _maintenance;
    private string? _folder;
    private string? _bin;
    private int _databases;
    private string? _serverOptions;

    public PostgresCluster() => _maintenance = new Lazy<string>(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The newest installed server's binaries, or null.</summary>
    public static string? BinDirectory { get; } = FindBinaries();

    /// <summary>Why Postgres tests skip here: no server installed and not under CI (where a missing server must fail).</summary>
    public static string? SkipReason => BinDirectory is null && !IsCi
        ? $"PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); {InstallHint}"
        : null;

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Time spent starting the cluster (initdb and start), for the run's figures.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>Creates an empty database of its own and returns its connection string (one per test: isolation).</summary>
    public string CreateDatabase()
    {
        var maintenance = _maintenance.Value;
        var name = "history_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        using var connection = new NpgsqlConnection(maintenance);
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        create.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(maintenance) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the server as an operator's restart or a failover would (<c>pg_ctl -m fast</c>: open
    /// connections are cut, nothing committed is lost); <see cref="StartServer"/> brings it back on the same port.</summary>
    public void StopServer()
    {
        _ = _maintenance.Value;
        NpgsqlConnection.ClearAllPools();
        Run("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "120", "stop");
    }

    public void StartServer() =>
        Run("pg_ctl", "-D", Data, "-l", Path.Combine(_folder!, "server.log"), "-w", "-t", "120", "-o", _serverOptions!, "start");

    public void Dispose()
    {
        if (_folder is null)
        {
            return;
        }

        if (_maintenance.IsValueCreated)
        {
            NpgsqlConnection.ClearAllPools();
            _ = TryRun("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop"); // a test may have stopped it already
        }

        Directory.Delete(_folder, recursive: true);
    }

    private string Data => Path.Combine(_folder!, "data");

    private string Start()
    {
        _bin = BinDirectory ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and CI=true needs it; {InstallHint}");
        var watch = Stopwatch.StartNew();
        _folder = Path.Combine(Path.GetTempPath(), "dynodash-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        if (IsRoot)
        {
            Execute("chown", "postgres", _folder);
        }

        Run("initdb", "-D", Data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync");
        // A free port can be taken by someone else between asking and binding (other engineers share this
        // machine): try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Unused();
            var options = string.Join(' ',
                $"-p {port} -k {_folder} -c listen_addresses=127.0.0.1",
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
            var (code, output) = TryRun("pg_ctl", "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "120", "-o", options, "start");
            if (code == 0)
            {
                _serverOptions = options;
                StartTime = watch.Elapsed;
                return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"pg_ctl start failed ({code}): {output}\n{ServerLog()}");
            }
        }
    }

    private string ServerLog()
    {
        var log = Path.Combine(_folder!, "server.log");
        return File.Exists(log) ? File.ReadAllText(log) : string.Empty;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private void Run(string tool, params string[] arguments)
    {
        var (code, output) = TryRun(tool, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({code}): {output}");
        }
    }

    /// <summary>A server tool, as the postgres user when we are root.</summary>
    private (int Code, string Output) TryRun(string tool, params string[] arguments)
    {
        var path = Path.Combine(_bin!, tool);
        return IsRoot ? Execute("runuser", ["-u", "postgres", "--", path, .. arguments]) : Execute(path, arguments);
    }

    private static (int Code, string Output) Execute(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }

    private static string? FindBinaries() => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql")
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
            .OrderDescending(StringComparer.Ordinal)
            .FirstOrDefault()
        : null;
}
