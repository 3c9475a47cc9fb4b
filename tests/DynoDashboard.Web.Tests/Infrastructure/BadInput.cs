using System.Globalization;
using System.Text;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>Generates bad drain requests and bodies from a seeded <see cref="Random"/>.</summary>
internal static class BadInput
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    public static HttpContent Logplex(byte[] body, bool declareLength = true, string contentType = "application/logplex-1")
    {
        HttpContent content = declareLength ? new ByteArrayContent(body) : new DribbleContent(body, chunk: 64 * 1024);
        if (contentType.Length > 0)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    /// <summary>The corpus: (name, request factory) pairs. Names say what each case is when one fails.</summary>
    public static IEnumerable<(string Name, Func<HttpRequestMessage> Request)> Corpus(Random rng)
    {
        var valid = new LogplexBody().Runtime(s_t0, "web.1", 0.5, 300, 0).Router(s_t0, "web.1").Router(s_t0, "web.2", code: "H12", desc: "Request timeout").ToBytes();

        for (var i = 0; i < 12; i++)
        {
            var cut = rng.Next(1, valid.Length);
            yield return ($"truncated at {cut}", () => Post(valid[..cut]));
        }

        var message = $"<190>1 {TestTime.SyslogTen} host app web.1 - hello\n";
        foreach (var count in new[] { "99999999999999", "2147483648", "-5", "-0", "abc", "1e3", "0x10", "0", "", " ", "+12", "٣" })
        {
            yield return ($"count '{count}'", () => Post(Encoding.UTF8.GetBytes(count + " " + message + "12 " + message)));
        }

        for (var i = 0; i < 16; i++)
        {
            var garbage = new byte[rng.Next(1, 8192)];
            rng.NextBytes(garbage);
            yield return ($"binary garbage #{i}", () => Post(garbage));
            yield return ($"binary garbage as text #{i}", () => Post(garbage, "text/plain"));
        }

        foreach (var bad in new byte[][] { [0xC3, 0x28], [0xFF, 0xFE, 0xFD], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82] })
        {
            var hex = Convert.ToHexString(bad);
            yield return ($"invalid UTF-8 {hex} in message", () => Post(Frame(Encoding.UTF8.GetBytes($"<190>1 {TestTime.SyslogTen} host app web.1 - caf"), bad, "\n"u8.ToArray())));
            yield return ($"invalid UTF-8 {hex} in app name", () => Post(Frame(Encoding.UTF8.GetBytes($"<190>1 {TestTime.SyslogTen} host "), bad, " web.1 - x\n"u8.ToArray())));
            yield return ($"invalid UTF-8 {hex} in dyno", () => Post(Frame(Encoding.UTF8.GetBytes($"<134>1 {TestTime.SyslogTen} host heroku "), bad, " - source=web.1 sample#memory_rss=1MB\n"u8.ToArray())));
        }

        foreach (var line in new[]
        {
            "at=info method=GET path=\"/unclosed host=a dyno=web.1 connect=1ms service=2ms status=200 bytes=1",
            "at=error code=H12 desc=\" dyno=web.1",
            "at=info path=\"\\\" dyno=web.1 status=\"200",
            "source=web.1 sample#memory_rss=\"12MB sample#load_avg_1m=\"",
            "\"\"\"\"\"\"\"\"=\"=\"=",
        })
        {
            yield return ($"unbalanced quotes: {line}", () => Post(Frame(Encoding.UTF8.GetBytes($"<158>1 {TestTime.SyslogTen} host heroku router - " + line + "\n"))));
        }

        foreach (var control in new[] { "\0", "\u001b[31m", "\r", "\b", "\u007f", "\r\nSet-Cookie: evil=1", "\u2028" })
        {
            var escaped = string.Concat(control.Select(c => ((int)c).ToString("x2", CultureInfo.InvariantCulture)));
            yield return ($"control {escaped} in message", () => Post(Frame(Encoding.UTF8.GetBytes($"<190>1 {TestTime.SyslogTen} host app web.1 - a{control}b\n"))));
            yield return ($"control {escaped} in syslog app name", () => Post(Frame(Encoding.UTF8.GetBytes($"<190>1 {TestTime.SyslogTen} host ap{control}p web.1 - a\n"))));
            yield return ($"control {escaped} in dyno", () => Post(Frame(Encoding.UTF8.GetBytes($"<134>1 {TestTime.SyslogTen} host heroku web{control}.1 - source=web.1 sample#load_avg_1m=0.1\n"))));
        }

        // (%00 is left out: Kestrel refuses it with a 400 before any app code; the test host cannot even send it.)
        foreach (var app in new[] { "my%0d%0aSet-Cookie:%20x=1", "my%0aapp", "..%2f..%2fetc", "%E2%80%A8", "app%22%3E%3Cscript%3E", new string('a', 5000), "UPPER" })
        {
            yield return ($"app name '{app[..Math.Min(app.Length, 30)]}'", () => Post(valid, path: "/drain/" + app));
        }

        foreach (var header in new[] { "abc", "-1", "99999999999999999999", new string('9', 10_000), "1\r\nX-Injected: 1", "\0" })
        {
            yield return ($"Logplex-Msg-Count '{header[..Math.Min(header.Length, 20)]}'", () => Post(valid, headers: [("Logplex-Msg-Count", header)]));
            yield return ($"Logplex-Frame-Id '{header[..Math.Min(header.Length, 20)]}'", () => Post(valid, headers: [("Logplex-Frame-Id", header)]));
        }

        foreach (var type in new[] { "application/json", "multipart/form-data; boundary=x", "text/html", "application/logplex-1; charset=binary", "garbage///", "application/x-www-form-urlencoded", "text/plain; charset=\"unclosed" })
        {
            yield return ($"content type '{type}'", () => Post(valid, type));
        }

        yield return ("empty body", () => Post([]));
        yield return ("only spaces and newlines", () => Post("  \n\r\n  \n"u8.ToArray()));
        yield return ("a lone count", () => Post("123"u8.ToArray()));
        yield return ("a count and a space", () => Post("123 "u8.ToArray()));
    }

    /// <summary>Random damage: bytes, a bad count, a cut frame, or a stray newline.</summary>
    public static byte[] Garbage(Random rng)
    {
        switch (rng.Next(4))
        {
            case 0:
                var bytes = new byte[rng.Next(1, 40)];
                rng.NextBytes(bytes);
                return bytes;
            case 1:
                return Encoding.ASCII.GetBytes("9999 <190>1 bad");
            case 2:
                return Encoding.ASCII.GetBytes("-3 ");
            default:
                return "\n\n"u8.ToArray();
        }
    }

    /// <summary>The frames of a well-formed body, each with its count.</summary>
    public static List<byte[]> SplitFrames(byte[] body)
    {
        var frames = new List<byte[]>();
        var position = 0;
        while (position < body.Length)
        {
            var space = Array.IndexOf(body, (byte)' ', position);
            var count = int.Parse(Encoding.ASCII.GetString(body, position, space - position), CultureInfo.InvariantCulture);
            var end = space + 1 + count;
            frames.Add(body[position..end]);
            position = end;
        }

        return frames;
    }

    /// <summary>One frame whose octet count is right for the (possibly invalid UTF-8) message bytes.</summary>
    private static byte[] Frame(params byte[][] parts)
    {
        var message = parts.SelectMany(p => p).ToArray();
        return [.. Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " "), .. message];
    }

    private static HttpRequestMessage Post(byte[] body, string contentType = "application/logplex-1", string path = "/drain/fuzz",
        (string Name, string Value)[]? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Logplex(body, contentType: contentType) };
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
