using System.Text;

namespace DynoDashboard.Core.Parsing;

/// <summary>
/// Turns small UTF-8 spans that repeat on every line (dyno names, incarnation ids, <c>router</c>,
/// <c>heroku</c>, app names) into one shared string each, so steady-state parsing allocates nothing.
/// Bounded: once <see cref="Capacity"/> strings are pooled, new text gets a fresh string (correct, just
/// not shared), so a stream of unique values (every restart brings a new incarnation id) cannot grow it
/// without limit. Not thread-safe: one pool per ingestion thread, owned by its <see cref="HerokuLogParser"/>.
/// </summary>
public sealed class Utf8StringPool
{
    /// <summary>Default bound: a large app has a few hundred dynos and a new incarnation per restart per day.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Longer text is not pooled: dyno names and ids are short, and the char buffer lives on the stack.</summary>
    public const int MaxPooledBytes = 128;

    private readonly Dictionary<string, string> _strings;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public Utf8StringPool(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;

        // StringComparer.Ordinal implements the span alternate comparer, so lookups need no string.
        _strings = new Dictionary<string, string>(StringComparer.Ordinal);
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Capacity { get; }

    public int Count => _strings.Count;

    /// <summary>The shared string for <paramref name="utf8"/>; allocates only the first time a value is seen (or past the bound).</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxPooledBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        // UTF-8 never yields more UTF-16 chars than it has bytes.
        Span<char> chars = stackalloc char[MaxPooledBytes];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var text = chars[..length];
        if (_lookup.TryGetValue(text, out var pooled))
        {
            return pooled;
        }

        var created = new string(text);
        if (_strings.Count < Capacity)
        {
            _strings.Add(created, created);
        }

        return created;
    }
}
