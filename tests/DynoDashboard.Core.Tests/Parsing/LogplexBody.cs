using System.Globalization;
using System.Text;

namespace DynoDashboard.Core.Tests.Parsing;

/// <summary>Builds logplex bodies with correct octet counts (bytes, not chars), the way logplex frames them.</summary>
internal sealed class LogplexBody
{
    private readonly List<byte> _bytes = [];

    /// <summary>A dyno/router/api style frame: the message plus LF, counted.</summary>
    public LogplexBody Line(string syslogMessage) => Exact(syslogMessage + "\n");

    /// <summary>A frame counted exactly as given (logplex's own L10 frame has no LF).</summary>
    public LogplexBody Exact(string syslogMessage)
    {
        var message = Encoding.UTF8.GetBytes(syslogMessage);
        return Counted(message.Length, message);
    }

    /// <summary>A frame with a count of our choosing (to test wrong counts).</summary>
    public LogplexBody WithCount(string count, string syslogMessage)
    {
        _bytes.AddRange(Encoding.UTF8.GetBytes(count + " " + syslogMessage));
        return this;
    }

    public LogplexBody Text(string text)
    {
        _bytes.AddRange(Encoding.UTF8.GetBytes(text));
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    public static byte[] Of(params string[] syslogMessages)
    {
        var body = new LogplexBody();
        foreach (var message in syslogMessages)
        {
            body.Line(message);
        }

        return body.ToArray();
    }

    /// <summary><c>&lt;PRI&gt;1 TS host APP PROCID - MSG</c>, the HTTPS drain form.</summary>
    public static string Syslog(string app, string procId, string message, string time = "2025-08-08T06:58:53.550240+00:00", int pri = 190) =>
        string.Create(CultureInfo.InvariantCulture, $"<{pri}>1 {time} host {app} {procId} - {message}");

    private LogplexBody Counted(int count, byte[] message)
    {
        _bytes.AddRange(Encoding.ASCII.GetBytes(count.ToString(CultureInfo.InvariantCulture) + " "));
        _bytes.AddRange(message);
        return this;
    }
}
