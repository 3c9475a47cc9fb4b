using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

/// <summary>
/// <see cref="BlockWriter"/> must write exactly what <see cref="BinaryWriter"/> wrote, since stored blocks are read
/// back with <see cref="BinaryReader"/> (files written before it included); and encoding a block must allocate
/// little more than the block's own array.
/// </summary>
public sealed class BlockWriterTests
{
    [Fact]
    public void Write_EveryKindOfValue_SameBytesAsBinaryWriter()
    {
        string[] strings =
        [
            "", "a", "at=error code=H12 desc=\"Request timeout\"", "héllo ✓ 🚀", new string('x', 127), new string('y', 128),
            new string('é', 9_000), string.Concat(Enumerable.Repeat("🚀z", 3_000)),
            "lone \uD800 surrogate", "\uDC00",
        ];
        int[] ints = [0, 1, 127, 128, 16_383, 16_384, int.MaxValue, -1, int.MinValue];
        double[] doubles = [0, -0.0, 170.1, double.NaN, double.NegativeInfinity, double.Epsilon];

        // BinaryWriter's default encoding, as the stores used it.
        using var expectedStream = new MemoryStream();
        using (var expected = new BinaryWriter(expectedStream))
        {
            WriteAll(expected.Write, expected.Write, expected.Write, expected.Write, expected.Write, expected.Write, expected.Write7BitEncodedInt);
        }

        // Starts tiny, so the buffer has to grow (and hand back its old arrays) many times over.
        using var writer = new BlockWriter(1);
        WriteAll(writer.Write, writer.Write, writer.Write, writer.Write, writer.Write, writer.Write, writer.Write7BitEncodedInt);

        var expectedBytes = expectedStream.ToArray();
        Assert.Equal(expectedBytes, writer.ToArray());
        Assert.Equal(expectedBytes.Length, writer.Length);

        void WriteAll(Action<byte> b, Action<ushort> u, Action<int> i, Action<long> l, Action<double> d, Action<string> s,
            Action<int> seven)
        {
            foreach (var value in ints)
            {
                b((byte)value);
                u((ushort)value);
                i(value);
                l(value * 1_000_003L);
                seven(value);
            }

            foreach (var value in doubles)
            {
                d(value);
            }

            foreach (var value in strings)
            {
                s(value);
            }
        }
    }

    [Fact]
    public void EncodeEvents_FullBlockOfRouterErrors_AllocatesLittleMoreThanTheBlock()
    {
        var events = Enumerable.Range(0, LiteDbHistoryStore.EventsPerBlock).Select(i => new DynoEvent
        {
            Time = TestLines.T0.AddMilliseconds(i), Kind = DynoEventKind.RouterError, Dyno = new DynoName($"web.{i % 7}"),
            Code = ErrorCatalog.H12, Description = "Request timeout", ProcId = "router", Status = 503, ServiceMs = 30_000,
            Path = "/slow", Message = $"at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow\" host=myapp.herokuapp.com request_id={Guid.NewGuid()} fwd=\"10.0.0.{i % 250}\" dyno=web.{i % 7} connect=1ms service=30000ms status=503 bytes=0 protocol=https",
        }).ToList();
        LiteDbHistoryStore.EncodeEvents(events); // warm up: the pool's first rent allocates its array

        var before = GC.GetAllocatedBytesForCurrentThread();
        var block = LiteDbHistoryStore.EncodeEvents(events);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The block's array and a few small objects (the writer, the list's enumerator); the stream and BinaryWriter
        // allocated ~3× the block (growth to 128 KiB, then ToArray).
        Assert.InRange(allocated, block.Length, block.Length + 1_024);
        Assert.Equal(events, LiteDbHistoryStore.DecodeEvents(block));
    }
}
