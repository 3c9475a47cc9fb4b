using System.Globalization;
using System.Text;

namespace DynoDashboard.Benchmarks;

/// <summary>
/// Generates realistic logplex drain bodies: about 60 % router info lines, 10 % router errors, 20 % runtime
/// metrics (load and memory halves in pairs) and 10 % app output, framed with exact byte counts. Seeded, so
/// benchmarks and tests see the same bytes every run. Also linked into the Core tests (allocation test) and the
/// load generator (which asks for more dynos).
/// </summary>
public static class DrainBodyGenerator
{
    /// <summary>Logplex's target batch size (<c>http_drain_target_bytes</c>).</summary>
    public const int DrainTargetBytes = 100 * 1024;

    /// <summary>Six web and two worker dynos, as in the benchmarks and tests.</summary>
    public const int DefaultDynos = 8;

    private static readonly string[] s_paths =
    [
        "/", "/api/items?page=2", "/api/orders/12345", "/assets/application-3f2a.js", "/api/Schlachter 1951/books",
        "/login", "/healthz", "/api/search?q=dyno%20metrics",
    ];

    private static readonly string[] s_methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];

    private static readonly (string Code, string Desc, string Level, int Status)[] s_errors =
    [
        ("H12", "Request timeout", "error", 503),
        ("H13", "Connection closed without response", "error", 503),
        ("H10", "App crashed", "error", 503),
        ("H27", "Client Request Interrupted", "warning", 499),
        ("H18", "Server Request Interrupted", "error", 503),
    ];

    internal static readonly string[] AppMessages =
    [
        "Started GET \"/api/items?page=2\" for 203.0.113.7 at 2025-08-08 06:58:53 +0000",
        "Completed 200 OK in 21ms (Views: 3.1ms | ActiveRecord: 9.8ms | Allocations: 4521)",
        "method=GET path=/api/orders/12345 format=json controller=OrdersController action=show status=200 duration=18.21",
        "[worker] Processing job ReportJob (id=8812) – queue=default",
        "{\"level\":\"info\",\"msg\":\"cache miss\",\"key\":\"user:42\"}",
    ];

    /// <summary>
    /// A body of at least <paramref name="targetBytes"/> bytes (it stops after the frame that crosses it), spread
    /// over <paramref name="dynos"/> dynos: three quarters <c>web.N</c> (the ones the router sends to), the rest
    /// <c>worker.N</c>.
    /// </summary>
    public static byte[] Generate(int targetBytes = DrainTargetBytes, int seed = 20250808, int dynos = DefaultDynos)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dynos, 2);
        var webCount = dynos * 3 / 4;
        string[] webDynos = [.. Enumerable.Range(1, webCount).Select(i => "web." + i.ToString(CultureInfo.InvariantCulture))];
        string[] allDynos = [.. webDynos, .. Enumerable.Range(1, dynos - webCount).Select(i => "worker." + i.ToString(CultureInfo.InvariantCulture))];
#pragma warning disable CA5394 // Deterministic test data, not security.
        var random = new Random(seed);
        var body = new List<byte>(targetBytes + 1024);
        var time = new DateTimeOffset(2025, 8, 8, 6, 58, 53, TimeSpan.Zero);
        var pendingMemoryHalf = (string?)null;
        while (body.Count < targetBytes)
        {
            time = time.AddTicks(random.Next(1, 200_000));
            string message;
            if (pendingMemoryHalf is not null)
            {
                message = pendingMemoryHalf;
                pendingMemoryHalf = null;
            }
            else
            {
                // Rolls out of 99: 67 info + 11 errors + 11 runtime pairs (22 frames) + 11 app lines gives
                // 60 % / 10 % / 20 % / 10 % of frames.
                var roll = random.Next(100);
                if (roll < 67)
                {
                    message = RouterInfo(random, time, webDynos);
                }
                else if (roll < 78)
                {
                    message = RouterError(random, time, webDynos);
                }
                else if (roll < 89)
                {
                    // Runtime metrics come as a pair: load, then memory with the same timestamp.
                    var index = random.Next(allDynos.Length);
                    message = RuntimeLoad(random, time, allDynos[index], index);
                    pendingMemoryHalf = RuntimeMemory(random, time, allDynos[index], index);
                }
                else
                {
                    message = AppLine(random, time, allDynos);
                }
            }

            Frame(body, message);
        }
#pragma warning restore CA5394

        return [.. body];
    }

    private static void Frame(List<byte> body, string syslogMessage)
    {
        var bytes = Encoding.UTF8.GetBytes(syslogMessage + "\n");
        body.AddRange(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + " "));
        body.AddRange(bytes);
    }

    private static string Timestamp(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);

    private static string RequestId(Random random) =>
#pragma warning disable CA5394
        new Guid(random.Next(), (short)random.Next(), (short)random.Next(), (byte)random.Next(), (byte)random.Next(),
            (byte)random.Next(), (byte)random.Next(), (byte)random.Next(), (byte)random.Next(), (byte)random.Next(), (byte)random.Next())
            .ToString();
#pragma warning restore CA5394

#pragma warning disable CA5394
    private static string RouterInfo(Random random, DateTimeOffset time, string[] webDynos) => string.Create(CultureInfo.InvariantCulture,
        $"<158>1 {Timestamp(time)} host heroku router - at=info method={s_methods[random.Next(s_methods.Length)]} path=\"{s_paths[random.Next(s_paths.Length)]}\" host=myapp.herokuapp.com request_id={RequestId(random)} fwd=\"203.0.113.{random.Next(1, 255)}\" dyno={webDynos[random.Next(webDynos.Length)]} connect={random.Next(0, 3)}ms service={random.Next(1, 900)}ms status=200 bytes={random.Next(200, 90_000)} protocol=https");

    private static string RouterError(Random random, DateTimeOffset time, string[] webDynos)
    {
        var (code, desc, level, status) = s_errors[random.Next(s_errors.Length)];
        var sock = code switch { "H27" => "sock=client ", "H18" => "sock=backend ", _ => string.Empty };
        var dyno = code == "H10" ? string.Empty : webDynos[random.Next(webDynos.Length)];
        var timing = code == "H10" ? "connect= service=" : string.Create(CultureInfo.InvariantCulture, $"connect=1ms service={random.Next(1000, 30000)}ms");
        return string.Create(CultureInfo.InvariantCulture,
            $"<158>1 {Timestamp(time)} host heroku router - {sock}at={level} code={code} desc=\"{desc}\" method=GET path=\"{s_paths[random.Next(s_paths.Length)]}\" host=myapp.herokuapp.com request_id={RequestId(random)} fwd=\"198.51.100.2,10.0.0.1\" dyno={dyno} {timing} status={status} bytes= protocol=https");
    }

    private static string RuntimeLoad(Random random, DateTimeOffset time, string dyno, int index) => string.Create(CultureInfo.InvariantCulture,
        $"<134>1 {Timestamp(time)} host heroku {dyno} - source={dyno} dyno=heroku.12345678.{Incarnation(index)} sample#load_avg_1m={random.NextDouble() * 4:0.00} sample#load_avg_5m={random.NextDouble() * 3:0.00} sample#load_avg_15m={random.NextDouble() * 2:0.00}");

    private static string RuntimeMemory(Random random, DateTimeOffset time, string dyno, int index)
    {
        var rss = 150 + (random.NextDouble() * 300);
        var cache = random.NextDouble() * 60;
        return string.Create(CultureInfo.InvariantCulture,
            $"<134>1 {Timestamp(time)} host heroku {dyno} - source={dyno} dyno=heroku.12345678.{Incarnation(index)} sample#memory_total={rss + cache:0.00}MB sample#memory_rss={rss:0.00}MB sample#memory_cache={cache:0.00}MB sample#memory_swap=0.00MB sample#memory_pgpgin={random.Next(10_000, 900_000)}pages sample#memory_pgpgout={random.Next(1000, 90_000)}pages sample#memory_quota=512.00MB");
    }

    private static string AppLine(Random random, DateTimeOffset time, string[] allDynos)
    {
        var dyno = allDynos[random.Next(allDynos.Length)];
        return string.Create(CultureInfo.InvariantCulture, $"<190>1 {Timestamp(time)} host app {dyno} - {AppMessages[random.Next(AppMessages.Length)]}");
    }
#pragma warning restore CA5394

    // One stable incarnation per dyno, as between restarts.
    private static string Incarnation(int dynoIndex) => string.Create(CultureInfo.InvariantCulture,
        $"{dynoIndex + 0x8d2b9c10:x8}-1f2a-4c3b-9d4e-5f6a7b8c9d0e");
}
