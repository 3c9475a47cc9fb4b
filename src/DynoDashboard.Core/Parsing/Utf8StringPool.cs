using System.Text;

namespace DynoDashboard.Core.Parsing;

/// <summary>
/// Turns small UTF-8 spans that repeat on every line (dyno names, incarnation ids, <c>router</c>,
/// <c>heroku</c>, app names) into one shared string each, so steady-state parsing allocates nothing.
/// Bounded: once <see cref="Capacity"/> strings are pooled, new text gets a fresh string (correct, just
/// not shared), so a stream of unique values (every restart brings a new incarnation id) cannot grow it
/// without limit. Not thread-safe: one pool per ingestion thread, owned by its <see cref="HerokuLogParser"/>.
/// </summary>
/// <remarks>
/// Keyed by the UTF-8 bytes themselves (an open-addressing table with linear probing), not by decoded
/// text: a hit then costs one hash of the bytes and one comparison, with no UTF-8 → UTF-16 decoding. This
/// runs two or three times per line, so it is a measurable part of parse time.
/// </remarks>
public sealed class Utf8StringPool
{
    /// <summary>Default bound: a large app has a few hundred dynos and a new incarnation per restart per day.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Longer text is not pooled: dyno names and ids are short.</summary>
    public const int MaxPooledBytes = 128;

    private const int InitialSlots = 64;

    private Entry[] _slots = new Entry[InitialSlots];

    public Utf8StringPool(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count { get; private set; }

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

        var hash = Hash(utf8);
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.Key is null)
            {
                var created = Encoding.UTF8.GetString(utf8);
                if (Count < Capacity)
                {
                    slot = new Entry(utf8.ToArray(), created, hash);
                    Count++;

                    // Keep at most half the slots full so probe runs stay short.
                    if (Count * 2 > slots.Length)
                    {
                        Grow();
                    }
                }

                return created;
            }

            if (slot.Hash == hash && slot.Key.AsSpan().SequenceEqual(utf8))
            {
                return slot.Value;
            }
        }
    }

    private void Grow()
    {
        var larger = new Entry[_slots.Length * 2];
        var mask = larger.Length - 1;
        foreach (var entry in _slots)
        {
            if (entry.Key is null)
            {
                continue;
            }

            var i = entry.Hash & mask;
            while (larger[i].Key is not null)
            {
                i = (i + 1) & mask;
            }

            larger[i] = entry;
        }

        _slots = larger;
    }

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = default(HashCode);
        hash.AddBytes(utf8);
        return hash.ToHashCode() & int.MaxValue;
    }

    private readonly record struct Entry(byte[] Key, string Value, int Hash);
}
