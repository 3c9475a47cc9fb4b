using System.Buffers;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// The pool drain bodies are read into. Logplex batches to about 100 KiB, so nearly every body lands in the
/// 128 KiB size class: a large-object-heap array. <see cref="ArrayPool{T}.Shared"/> keeps only a few arrays per
/// size class per core, and with dozens of bodies waiting in the queue most rents missed and allocated a fresh
/// LOH array (measured under load: ~0.6 GB/s allocated and ~2 gen-2 collections a second, docs/perf.md).
/// This pool keeps up to <see cref="KeptArrays"/> arrays of that one class (8 MiB at most); other sizes, rarer
/// and mostly small-object-heap, still go to the shared pool.
/// </summary>
internal sealed class DrainBodyBuffers : ArrayPool<byte>
{
    public const int LogplexSizeClass = 128 * 1024;

    private const int KeptArrays = 64;

    private readonly ArrayPool<byte> _logplexSized = Create(LogplexSizeClass, KeptArrays);

    // Internal so tests can use a private instance; the app uses Pool.
    internal DrainBodyBuffers()
    {
    }

    public static DrainBodyBuffers Pool { get; } = new();

    public override byte[] Rent(int minimumLength) =>
        minimumLength is > LogplexSizeClass / 2 and <= LogplexSizeClass
            ? _logplexSized.Rent(minimumLength)
            : Shared.Rent(minimumLength);

    public override void Return(byte[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length == LogplexSizeClass)
        {
            _logplexSized.Return(array, clearArray);
        }
        else
        {
            Shared.Return(array, clearArray);
        }
    }
}
