using DynoDashboard.Core.Model;
using LiteDB;

namespace DynoDashboard.Core.History;

/// <summary>
/// Log lines are stored in blocks (<see cref="HistoryBlocks{T}"/>) like events: reading an hour of a million-line
/// history one document per line took 2.2–2.8 s (LiteDB's per-document cost), and inserting a chatty app's lines one
/// document each was most of the history writer's work. <c>Storage:MaxLogLines</c> is kept by deleting the oldest
/// whole blocks. Files written before blocks still have one document per line in <c>lines</c>: reads merge both.
/// </summary>
public sealed partial class LiteDbHistoryStore
{
    internal const string LineBlocksName = "lineblocks";

    // ~250 B per line: ~60 KB per block, below the large-object heap's 85 KB.
    internal const int LinesPerBlock = 250;

    private HistoryBlocks<LogLine>? _lineBlocks;

    private HistoryBlocks<LogLine> LineBlocks => _lineBlocks ??= new HistoryBlocks<LogLine>(
        _db.GetCollection(LineBlocksName, BsonAutoId.Int64), LinesPerBlock, static l => l.Time, EncodeLines, DecodeLines);

    internal static byte[] EncodeLines(IReadOnlyList<LogLine> lines)
    {
        using var stream = new MemoryStream(Math.Min(lines.Count * 256, 80 * 1024));
        using var writer = new BinaryWriter(stream);
        writer.Write7BitEncodedInt(lines.Count);
        foreach (var line in lines)
        {
            writer.Write(line.Time.UtcTicks);
            writer.Write((byte)line.Kind);
            writer.Write(line.Dyno is not null);
            writer.Write(line.Source);
            writer.Write(line.ProcId);
            writer.Write(line.Message);
            if (line.Dyno is { } dyno)
            {
                writer.Write(dyno.Value);
            }
        }

        writer.Flush();
        return stream.ToArray();
    }

    internal static List<LogLine> DecodeLines(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data, writable: false));
        var count = reader.Read7BitEncodedInt();
        var lines = new List<LogLine>(count);
        for (var i = 0; i < count; i++)
        {
            var time = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var kind = (LineKind)reader.ReadByte();
            var hasDyno = reader.ReadBoolean();
            var source = reader.ReadString();
            var procId = reader.ReadString();
            var message = reader.ReadString();
            lines.Add(new LogLine(time, source, procId, hasDyno ? new DynoName(reader.ReadString()) : null, kind, message));
        }

        return lines;
    }

    /// <summary>Newest first from the per-line documents of older files and from the blocks, merged.</summary>
    private List<LogLine> StoredLines(string app, DateTimeOffset from, DateTimeOffset before, int limit)
    {
        var blocks = LineBlocks.NewestFirst(app, from, before, limit, static _ => true);
        var single = OfApp(InRangeNewestFirst(_lines, from, before), app).Take(limit).Select(HistoryDocuments.ToLine).ToList();
        return single.Count == 0 ? blocks : [.. single.Concat(blocks).OrderByDescending(l => l.Time).Take(limit)];
    }
}
