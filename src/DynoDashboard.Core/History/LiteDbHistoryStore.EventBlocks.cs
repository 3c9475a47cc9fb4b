using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using LiteDB;

namespace DynoDashboard.Core.History;

/// <summary>
/// Events are stored in blocks (<see cref="HistoryBlocks{T}"/>, at most <see cref="EventsPerBlock"/> events each): one
/// LiteDB document per event cost 30–80 µs to insert, so an H12 storm of 16,000 errors a second (10 % of a busy drain)
/// took the history writer most of a core. Files written before blocks still have one document per event in
/// <c>events</c>: reads merge both, and retention empties the old collection within a week.
/// </summary>
public sealed partial class LiteDbHistoryStore
{
    internal const string EventBlocksName = "eventblocks";

    // Big enough that a storm is a few dozen inserts a second, small enough that a block's buffers (~300 B per event,
    // ~60 KB) stay below the large-object heap's 85 KB and decoding one for a narrow query is cheap.
    internal const int EventsPerBlock = 200;

    [Flags]
    private enum EventFields : ushort
    {
        None = 0,
        Dyno = 1 << 0,
        Code = 1 << 1,
        Source = 1 << 2,
        Incarnation = 1 << 3,
        FromState = 1 << 4,
        ToState = 1 << 5,
        Path = 1 << 6,
        ExitStatus = 1 << 7,
        MemoryMb = 1 << 8,
        MemoryPercent = 1 << 9,
        Status = 1 << 10,
        ServiceMs = 1 << 11,
    }

    private HistoryBlocks<DynoEvent>? _eventBlocks;

    private HistoryBlocks<DynoEvent> EventBlocks => _eventBlocks ??= new HistoryBlocks<DynoEvent>(
        _db.GetCollection(EventBlocksName, BsonAutoId.Int64), EventsPerBlock, static e => e.Time, EncodeEvents, DecodeEvents);

    /// <summary>Up to <paramref name="limit"/> events in [from, before) from the blocks, newest first.</summary>
    private List<DynoEvent> GetBlockEvents(string app, DynoName? dyno, string? code, DateTimeOffset from,
        DateTimeOffset before, int limit) =>
        EventBlocks.NewestFirst(app, from, before, limit, e => Matches(e, dyno, code));

    private static bool Matches(DynoEvent e, DynoName? dyno, string? code) =>
        (dyno is not { } wanted || (wanted == DynoName.NoDyno ? e.Dyno is null : e.Dyno == wanted)) &&
        (code is null || string.Equals(e.Code?.Code, code, StringComparison.OrdinalIgnoreCase));

    internal static byte[] EncodeEvents(IReadOnlyList<DynoEvent> events)
    {
        using var writer = new BlockWriter(events.Count * 384);
        writer.Write7BitEncodedInt(events.Count);
        foreach (var e in events)
        {
            var fields = Present(e);
            writer.Write(e.Time.UtcTicks);
            writer.Write((byte)e.Kind);
            writer.Write((ushort)fields);
            writer.Write(e.Description);
            writer.Write(e.ProcId);
            e.WriteMessageTo(writer); // still UTF-8 when made from the line: stored as is
            WriteIf(fields, EventFields.Dyno, e.Dyno?.Value);
            WriteIf(fields, EventFields.Code, e.Code?.Code);
            WriteIf(fields, EventFields.Source, e.Source);
            WriteIf(fields, EventFields.Incarnation, e.Incarnation);
            WriteIf(fields, EventFields.FromState, e.FromState);
            WriteIf(fields, EventFields.ToState, e.ToState);
            WriteIf(fields, EventFields.Path, e.Path);
            if (e.ExitStatus is { } exit)
            {
                writer.Write(exit);
            }

            if (e.MemoryMb is { } mb)
            {
                writer.Write(mb);
            }

            if (e.MemoryPercent is { } percent)
            {
                writer.Write(percent);
            }

            if (e.Status is { } status)
            {
                writer.Write(status);
            }

            if (e.ServiceMs is { } service)
            {
                writer.Write(service);
            }
        }

        return writer.ToArray();

        void WriteIf(EventFields present, EventFields field, string? value)
        {
            if ((present & field) != 0)
            {
                writer.Write(value!);
            }
        }
    }

    internal static List<DynoEvent> DecodeEvents(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data, writable: false));
        var count = reader.Read7BitEncodedInt();
        var events = new List<DynoEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var time = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var kind = (DynoEventKind)reader.ReadByte();
            var fields = (EventFields)reader.ReadUInt16();
            var description = reader.ReadString();
            var procId = reader.ReadString();
            var message = reader.ReadString();
            var dyno = ReadIf(EventFields.Dyno);
            var code = ReadIf(EventFields.Code);
            events.Add(new DynoEvent
            {
                Time = time,
                Kind = kind,
                Description = description,
                ProcId = procId,
                Message = message,
                Dyno = dyno is null ? null : new DynoName(dyno),
                Code = code is not null && ErrorCatalog.TryGet(code, out var info) ? info : null,
                Source = ReadIf(EventFields.Source) ?? "heroku",
                Incarnation = ReadIf(EventFields.Incarnation),
                FromState = ReadIf(EventFields.FromState),
                ToState = ReadIf(EventFields.ToState),
                Path = ReadIf(EventFields.Path),
                ExitStatus = (fields & EventFields.ExitStatus) != 0 ? reader.ReadInt32() : null,
                MemoryMb = (fields & EventFields.MemoryMb) != 0 ? reader.ReadDouble() : null,
                MemoryPercent = (fields & EventFields.MemoryPercent) != 0 ? reader.ReadDouble() : null,
                Status = (fields & EventFields.Status) != 0 ? reader.ReadInt32() : null,
                ServiceMs = (fields & EventFields.ServiceMs) != 0 ? reader.ReadInt32() : null,
            });

            string? ReadIf(EventFields field) => (fields & field) != 0 ? reader.ReadString() : null;
        }

        return events;
    }

    private static EventFields Present(DynoEvent e)
    {
        var fields = EventFields.None;
        fields |= e.Dyno is not null ? EventFields.Dyno : 0;
        fields |= e.Code is not null ? EventFields.Code : 0;
        fields |= e.Source != "heroku" ? EventFields.Source : 0;
        fields |= e.Incarnation is not null ? EventFields.Incarnation : 0;
        fields |= e.FromState is not null ? EventFields.FromState : 0;
        fields |= e.ToState is not null ? EventFields.ToState : 0;
        fields |= e.Path is not null ? EventFields.Path : 0;
        fields |= e.ExitStatus is not null ? EventFields.ExitStatus : 0;
        fields |= e.MemoryMb is not null ? EventFields.MemoryMb : 0;
        fields |= e.MemoryPercent is not null ? EventFields.MemoryPercent : 0;
        fields |= e.Status is not null ? EventFields.Status : 0;
        fields |= e.ServiceMs is not null ? EventFields.ServiceMs : 0;
        return fields;
    }
}
