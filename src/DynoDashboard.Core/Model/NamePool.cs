using System.Text;

namespace DynoDashboard.Core.Model;

/// <summary>
/// Hands out one string per distinct UTF-8 name (syslog APP-NAME and PROCID: <c>app</c>, <c>web.1</c>,
/// <c>heroku-postgres</c>), so recent lines don't allocate them per line. Bounded: past
/// <see cref="MaxNames"/> distinct names (a flood of odd PROCIDs) it decodes without keeping.
/// </summary>
internal sealed class NamePool
{
    internal const int MaxNames = 1_024;
    private const int MaxPooledLength = 128;

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public NamePool() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _names.Count;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxPooledLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxPooledLength];
        var name = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        if (_lookup.TryGetValue(name, out var pooled))
        {
            return pooled;
        }

        pooled = name.ToString();
        if (_names.Count < MaxNames)
        {
            _names.Add(pooled, pooled);
        }

        return pooled;
    }
}
