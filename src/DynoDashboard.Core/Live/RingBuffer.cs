using System.Collections;

namespace DynoDashboard.Core.Live;

/// <summary>
/// A fixed-capacity buffer ordered oldest to newest: <see cref="Add"/> overwrites the oldest item once
/// the buffer is full, so memory never grows with input volume. The backing array starts small and
/// doubles up to <see cref="Capacity"/>, because most buffers (one-off <c>run.N</c> dynos, quiet apps)
/// never fill and a full-size array per dyno would cost ~450 KB of runtime samples up front.
/// Not thread-safe: <see cref="LiveStore"/> guards every buffer with its app's lock.
/// </summary>
public sealed class RingBuffer<T> : IReadOnlyList<T>
{
    private const int InitialArraySize = 16;

    private readonly Action<T>? _evicted;
    private T[] _items;
    private int _head;
    private int _count;

    /// <param name="capacity">The most items kept.</param>
    /// <param name="evicted">Called with each item that drops out for capacity, to clean up secondary state.</param>
    public RingBuffer(int capacity, Action<T>? evicted = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _items = new T[Math.Min(capacity, InitialArraySize)];
        _evicted = evicted;
    }

    public int Capacity { get; }

    public int Count => _count;

    public bool IsFull => _count == Capacity;

    /// <summary>The item at <paramref name="index"/>, 0 being the oldest.</summary>
    public T this[int index]
    {
        get
        {
            CheckIndex(index);
            return _items[Physical(index)];
        }
        set
        {
            CheckIndex(index);
            _items[Physical(index)] = value;
        }
    }

    /// <summary>Appends <paramref name="item"/> as the newest, dropping the oldest when full.</summary>
    public void Add(T item)
    {
        if (_count < Capacity)
        {
            EnsureArrayFor(_count + 1);
            _items[Physical(_count)] = item;
            _count++;
            return;
        }

        var evicted = _items[_head];
        _items[_head] = item;
        _head = _head + 1 == _items.Length ? 0 : _head + 1;
        _evicted?.Invoke(evicted);
    }

    /// <summary>
    /// Inserts <paramref name="item"/> so that it ends up just before the item now at <paramref name="index"/>
    /// (or last when <paramref name="index"/> equals <see cref="Count"/>). When full, the oldest item makes room;
    /// an insert at 0 into a full buffer would itself be the oldest, so nothing changes and it returns false.
    /// Moves <c>Count - index</c> items: cheap for the late arrivals it is meant for.
    /// </summary>
    public bool Insert(int index, T item)
    {
        if ((uint)index > (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "Index must be within 0..Count.");
        }

        if (IsFull)
        {
            if (index == 0)
            {
                return false;
            }

            var evicted = _items[_head];
            _items[_head] = default!;
            _head = _head + 1 == _items.Length ? 0 : _head + 1;
            _count--;
            index--;
            _evicted?.Invoke(evicted);
        }

        EnsureArrayFor(_count + 1);
        _count++;
        for (var i = _count - 1; i > index; i--)
        {
            _items[Physical(i)] = _items[Physical(i - 1)];
        }

        _items[Physical(index)] = item;
        return true;
    }

    public void Clear()
    {
        Array.Clear(_items);
        _head = 0;
        _count = 0;
    }

    /// <summary>Copies <c>destination.Length</c> items starting at logical index <paramref name="start"/>.</summary>
    public void CopyTo(int start, Span<T> destination)
    {
        if (start < 0 || destination.Length > _count - start)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "The window must lie within the buffer.");
        }

        if (destination.IsEmpty)
        {
            return;
        }

        var first = Physical(start);
        var firstPart = Math.Min(destination.Length, _items.Length - first);
        _items.AsSpan(first, firstPart).CopyTo(destination);
        _items.AsSpan(0, destination.Length - firstPart).CopyTo(destination[firstPart..]);
    }

    public T[] ToArray() => ToArray(0, _count);

    /// <summary>A copy of <paramref name="count"/> items from logical index <paramref name="start"/>, oldest first.</summary>
    public T[] ToArray(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [];
        }

        var copy = new T[count];
        CopyTo(start, copy);
        return copy;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int Physical(int index)
    {
        var p = _head + index;
        return p >= _items.Length ? p - _items.Length : p;
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "Index must be within 0..Count-1.");
        }
    }

    private void EnsureArrayFor(int count)
    {
        if (count <= _items.Length)
        {
            return;
        }

        // Grow (only while not full, so _count < Capacity): unwrap into a bigger array, oldest at 0.
        var bigger = new T[(int)Math.Min(Capacity, (long)_items.Length * 2)];
        CopyTo(0, bigger.AsSpan(0, _count));
        _items = bigger;
        _head = 0;
    }

    /// <summary>Enumerates oldest to newest without allocating.</summary>
    public struct Enumerator : IEnumerator<T>
    {
        private readonly RingBuffer<T> _buffer;
        private int _index;

        internal Enumerator(RingBuffer<T> buffer)
        {
            _buffer = buffer;
            _index = -1;
        }

        public readonly T Current => _buffer[_index];

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _buffer._count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
