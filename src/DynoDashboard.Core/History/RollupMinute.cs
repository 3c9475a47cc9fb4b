using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.History;

/// <summary>
/// One dyno's router traffic in one minute, kept as its six 10-s rollups so that re-seeding the live store
/// gives back exactly the buckets it had (the "last hour" figures match to the request after a restart).
/// </summary>
internal sealed class RollupMinute(string app, DynoName dyno, long minute) : IOpenMinute
{
    private const int Slots = 60 / LiveStoreOptions.RollupBucketSeconds;
    private static readonly TimeSpan s_width = TimeSpan.FromSeconds(LiveStoreOptions.RollupBucketSeconds);

    private readonly RouterRollup?[] _slots = new RouterRollup?[Slots];

    public string App { get; } = app;

    public DynoName Dyno { get; } = dyno;

    public long Minute { get; } = minute;

    public long Touched { get; set; }

    /// <summary>The newest request time in the minute (the dyno's "last seen" after a restart).</summary>
    public DateTimeOffset LastRequest { get; private set; } = DateTimeOffset.MinValue;

    public void Add(in RouterFact request)
    {
        request.AddTo(SlotFor(request.Time));
        if (request.Time > LastRequest)
        {
            LastRequest = request.Time;
        }
    }

    public void Add(RouterRollupSnapshot snapshot, DateTimeOffset lastRequest)
    {
        SlotFor(snapshot.Start).Add(snapshot);
        if (lastRequest > LastRequest)
        {
            LastRequest = lastRequest;
        }
    }

    public IEnumerable<RouterRollupSnapshot> Snapshots() =>
        _slots.Where(s => s is not null).Select(s => s!.ToSnapshot(s_width));

    /// <summary>Layout: slot count, then per used slot its index and the rollup's counts, codes and histograms. Encoded
    /// from the rollups themselves (no snapshot, no histogram copies) into a pooled buffer: every history write
    /// re-encodes each open minute, about a hundred of them per write under a busy drain.</summary>
    public byte[] Encode()
    {
        using var writer = new BlockWriter(256);
        writer.Write7BitEncodedInt(_slots.Count(s => s is not null));
        for (var i = 0; i < Slots; i++)
        {
            if (_slots[i] is not { } rollup)
            {
                continue;
            }

            writer.Write((byte)i);
            writer.Write7BitEncodedInt(rollup.Requests);
            writer.Write7BitEncodedInt(rollup.Errors);
            writer.Write7BitEncodedInt64(rollup.Bytes);
            // 1xx…5xx, then no status: the order of StatusClassCounts.
            foreach (var statusClass in (ReadOnlySpan<int>)[1, 2, 3, 4, 5, 0])
            {
                writer.Write7BitEncodedInt(rollup.StatusClassCount(statusClass));
            }

            writer.Write7BitEncodedInt(rollup.ErrorCodeCount);
            for (var c = 0; c < rollup.ErrorCodeCount; c++)
            {
                var (code, count) = rollup.ErrorCodeAt(c);
                writer.Write(code);
                writer.Write7BitEncodedInt(count);
            }

            rollup.Connect.WriteTo(writer);
            rollup.Service.WriteTo(writer);
        }

        return writer.ToArray();
    }

    public static RollupMinute Decode(string app, DynoName dyno, long minute, byte[] data, DateTimeOffset lastRequest)
    {
        var result = new RollupMinute(app, dyno, minute);
        using var reader = new BinaryReader(new MemoryStream(data, writable: false));
        var count = reader.Read7BitEncodedInt();
        for (var n = 0; n < count; n++)
        {
            var slot = reader.ReadByte();
            var start = new DateTimeOffset(minute * TimeSpan.TicksPerMinute, TimeSpan.Zero) + (s_width * slot);
            var requests = reader.Read7BitEncodedInt();
            var errors = reader.Read7BitEncodedInt();
            var bytes = reader.Read7BitEncodedInt64();
            var statusClasses = new StatusClassCounts(reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt(),
                reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt());
            var codes = reader.Read7BitEncodedInt();
            var byCode = new Dictionary<string, int>(codes, StringComparer.Ordinal);
            for (var c = 0; c < codes; c++)
            {
                byCode[reader.ReadString()] = reader.Read7BitEncodedInt();
            }

            var connect = LatencyHistogram.ReadFrom(reader);
            var service = LatencyHistogram.ReadFrom(reader);
            result.Add(new RouterRollupSnapshot(start, start + s_width, requests, statusClasses, errors, byCode,
                connect, service, bytes), lastRequest);
        }

        return result;
    }

    private RouterRollup SlotFor(DateTimeOffset time)
    {
        var slot = (int)(time.UtcTicks / s_width.Ticks % Slots);
        return _slots[slot] ??= new RouterRollup(
            new DateTimeOffset((time.UtcTicks / s_width.Ticks) * s_width.Ticks, TimeSpan.Zero));
    }
}
