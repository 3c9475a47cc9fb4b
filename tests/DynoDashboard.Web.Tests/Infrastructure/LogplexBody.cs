using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>
/// Builds an <c>application/logplex-1</c> body exactly as Logplex frames it: <c>&lt;byte count&gt; &lt;syslog message + LF&gt;</c>,
/// with no separator between frames and <c>host</c> as the hostname (heroku-logs.md §1).
/// </summary>
public sealed class LogplexBody
{
    private readonly List<string> _messages = [];

    public int Count => _messages.Count;

    public static string Timestamp(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    public LogplexBody Add(int pri, DateTimeOffset time, string appName, string procId, string message)
    {
        _messages.Add($"<{pri}>1 {Timestamp(time)} host {appName} {procId} - {message}\n");
        return this;
    }

    public LogplexBody Router(DateTimeOffset time, string dyno, int status = 200, int connectMs = 1, int serviceMs = 20,
        string path = "/", string? code = null, string? desc = null)
    {
        var head = code is null ? "at=info " : $"at=error code={code} desc=\"{desc}\" ";
        return Add(158, time, "heroku", "router",
            $"{head}method=GET path=\"{path}\" host=myapp.herokuapp.com request_id={Guid.NewGuid()} fwd=\"10.0.0.1\" " +
            $"dyno={dyno} connect={connectMs}ms service={serviceMs}ms status={status} bytes=512 protocol=https");
    }

    public LogplexBody Runtime(DateTimeOffset time, string dyno, double load1m, double rssMb, double swapMb,
        string incarnation = "heroku.145151706.aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", double quotaMb = 512)
    {
        var inv = CultureInfo.InvariantCulture;
        Add(134, time, "heroku", dyno, string.Create(inv,
            $"source={dyno} dyno={incarnation} sample#load_avg_1m={load1m:0.00} sample#load_avg_5m={load1m:0.00} sample#load_avg_15m={load1m:0.00}"));
        return Add(134, time, "heroku", dyno, string.Create(inv,
            $"source={dyno} dyno={incarnation} sample#memory_total={rssMb + swapMb + 10:0.00}MB sample#memory_rss={rssMb:0.00}MB " +
            $"sample#memory_cache=10.00MB sample#memory_swap={swapMb:0.00}MB sample#memory_pgpgin=1000pages " +
            $"sample#memory_pgpgout=500pages sample#memory_quota={quotaMb:0.00}MB"));
    }

    public byte[] ToBytes()
    {
        var sb = new StringBuilder();
        foreach (var message in _messages)
        {
            sb.Append(Encoding.UTF8.GetByteCount(message).ToString(CultureInfo.InvariantCulture)).Append(' ').Append(message);
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public HttpRequestMessage ToRequest(string app, string? frameId = null, int? declaredCount = null)
    {
        var content = new ByteArrayContent(ToBytes());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/logplex-1");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/drain/{app}") { Content = content };
        request.Headers.TryAddWithoutValidation("Logplex-Msg-Count", (declaredCount ?? Count).ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Logplex-Frame-Id", frameId ?? Guid.NewGuid().ToString("N").ToUpperInvariant());
        request.Headers.TryAddWithoutValidation("Logplex-Drain-Token", "d.0b6c5d5e-1d2f-4c47-9f43-6b6f5c0e3a11");
        request.Headers.UserAgent.ParseAdd("Logplex/v123");
        return request;
    }
}
