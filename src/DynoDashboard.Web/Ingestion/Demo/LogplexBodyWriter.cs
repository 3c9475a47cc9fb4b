using System.Buffers;
using System.Globalization;
using System.Text;

namespace DynoDashboard.Web.Ingestion.Demo;

/// <summary>
/// Packs syslog messages into <c>application/logplex-1</c> bodies the way Logplex does: RFC 6587
/// octet counting (<c>&lt;byte count&gt;&lt;SP&gt;&lt;message&gt;</c>, the count in UTF-8 bytes and
/// including the trailing LF), with a new body started before one would pass the target size.
/// </summary>
internal sealed class LogplexBodyWriter
{
    private readonly int _targetBytes;
    private readonly ArrayBufferWriter<byte> _current;
    private readonly List<byte[]> _bodies = [];
    private readonly List<int> _frameCounts = [];
    private int _frames;

    public LogplexBodyWriter(int targetBytes)
    {
        _targetBytes = targetBytes;
        _current = new ArrayBufferWriter<byte>(targetBytes);
    }

    /// <summary>Appends one frame; <paramref name="message"/> is the whole syslog message, LF included.</summary>
    public void Append(string message)
    {
        var length = Encoding.UTF8.GetByteCount(message);
        Span<byte> prefix = stackalloc byte[12];
        length.TryFormat(prefix, out var prefixLength, provider: CultureInfo.InvariantCulture);
        prefix[prefixLength++] = (byte)' ';

        if (_current.WrittenCount > 0 && _current.WrittenCount + prefixLength + length > _targetBytes)
        {
            Flush();
        }

        _current.Write(prefix[..prefixLength]);
        var written = Encoding.UTF8.GetBytes(message, _current.GetSpan(length));
        _current.Advance(written);
        _frames++;
    }

    /// <summary>Hands over the bodies written since the last call, with their frame counts (for <c>Logplex-Msg-Count</c>).</summary>
    public (byte[][] Bodies, int[] FrameCounts) TakeBodies()
    {
        Flush();
        var result = (_bodies.ToArray(), _frameCounts.ToArray());
        _bodies.Clear();
        _frameCounts.Clear();
        return result;
    }

    private void Flush()
    {
        if (_frames == 0)
        {
            return;
        }

        _bodies.Add(_current.WrittenSpan.ToArray());
        _frameCounts.Add(_frames);
        _current.ResetWrittenCount();
        _frames = 0;
    }
}
