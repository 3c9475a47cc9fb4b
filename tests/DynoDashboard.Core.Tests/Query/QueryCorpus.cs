using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Tests.Query;

/// <summary>
/// A fixed set of lines shaped like real Heroku output (heroku-logs.md §2–3), each with a short id the query
/// table refers to. Changing a line here changes expectations in several tests: add lines, don't edit them.
/// </summary>
internal static class QueryCorpus
{
    public static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly DynoName s_web1 = new("web.1");
    private static readonly DynoName s_web2 = new("web.2");
    private static readonly DynoName s_worker1 = new("worker.1");

    /// <summary>Id → line, oldest first.</summary>
    public static readonly IReadOnlyList<(string Id, LogLine Line)> Lines =
    [
        ("r1", Router(0, s_web1, "at=info method=GET path=\"/\" host=myapp.herokuapp.com request_id=a1 fwd=\"10.0.0.1\" dyno=web.1 connect=1ms service=22ms status=200 bytes=656 protocol=https")),
        ("r2", Router(1, s_web2, "at=info method=POST path=\"/api/orders\" host=myapp.herokuapp.com request_id=a2 fwd=\"10.0.0.2\" dyno=web.2 connect=2ms service=6200ms status=201 bytes=1024 protocol=https")),
        ("r3", Router(2, s_web2, "at=error code=H12 desc=\"Request timeout\" method=GET path=\"/reports/big\" host=myapp.herokuapp.com request_id=a3 fwd=\"10.0.0.3\" dyno=web.2 connect=1ms service=30000ms status=503 bytes=0 protocol=https")),
        ("r4", Router(3, s_web1, "at=error code=H13 desc=\"Connection closed without response\" method=GET path=\"/api/Schlachter 1951/books\" host=myapp.herokuapp.com request_id=a4 fwd=\"10.0.0.4,10.0.0.5\" dyno=web.1 connect=0ms service=3ms status=503 bytes=0 protocol=https")),
        ("rt1", Runtime(4, s_web2, "source=web.2 dyno=heroku.145151706.2222 sample#load_avg_1m=2.50 sample#load_avg_5m=1.10 sample#load_avg_15m=0.80")),
        ("rt2", Runtime(4, s_web2, "source=web.2 dyno=heroku.145151706.2222 sample#memory_total=620.00MB sample#memory_rss=505.00MB sample#memory_cache=10.00MB sample#memory_swap=105.00MB sample#memory_pgpgin=83225pages sample#memory_pgpgout=4207pages sample#memory_quota=512.00MB")),
        ("rt3", Runtime(5, s_web1, "source=web.1 dyno=heroku.145151706.1111 sample#memory_total=260.00MB sample#memory_rss=250.00MB sample#memory_cache=10.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=1000pages sample#memory_pgpgout=500pages sample#memory_quota=512.00MB")),
        ("e1", Line(6, "heroku", "web.2", s_web2, LineKind.Event, "Error R14 (Memory quota exceeded)")),
        ("e2", Line(6, "heroku", "web.2", s_web2, LineKind.Event, "Process running mem=620M(121.1%)")),
        ("e3", Line(7, "heroku", "web.1", s_web1, LineKind.Event, "State changed from up to starting")),
        ("e4", Line(8, "app", "api", null, LineKind.Event, "Release v42 created by user dev@example.com")),
        ("a1", Line(9, "app", "web.1", s_web1, LineKind.App, "level=info msg=\"order created\" order_id=77 duration=12ms user=alice")),
        ("a2", Line(10, "app", "worker.1", s_worker1, LineKind.App, "Sending weekly digest to 1200 users")),
        ("a3", Line(11, "app", "web.2", s_web2, LineKind.App, "level=error msg=\"payment failed\" duration=2.5s error=\"card declined\"")),
        ("l10", Line(12, "heroku", "logplex", null, LineKind.Event, "Error L10 (output buffer overflow): 12 messages dropped since 2024-05-01T12:00:00+00:00.")),
    ];

    public static IEnumerable<LogLine> All => Lines.Select(l => l.Line);

    public static string[] Ids => [.. Lines.Select(l => l.Id)];

    public static LogLine ById(string id) => Lines.Single(l => l.Id == id).Line;

    private static LogLine Router(int seconds, DynoName dyno, string message) =>
        Line(seconds, "heroku", "router", dyno, LineKind.Router, message);

    private static LogLine Runtime(int seconds, DynoName dyno, string message) =>
        Line(seconds, "heroku", dyno.Value, dyno, LineKind.Runtime, message);

    private static LogLine Line(int seconds, string source, string procId, DynoName? dyno, LineKind kind, string message) =>
        new(T0.AddSeconds(seconds), source, procId, dyno, kind, message);
}
