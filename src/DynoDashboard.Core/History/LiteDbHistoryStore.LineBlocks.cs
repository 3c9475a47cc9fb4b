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

    private static NameTable? s_spareTable;

    private HistoryBlocks<LogLine>? _lineBlocks;

    private HistoryBlocks<LogLine> LineBlocks => _lineBlocks ??= new HistoryBlocks<LogLine>(
        _db.GetCollection(LineBlocksName, BsonAutoId.Int64), LinesPerBlock, static l => l.Time, EncodeLines, DecodeLines);

    /// <summary>
    /// Layout: the block's distinct source, proc id and dyno strings once, then per line its time, kind, indexes into
    /// that table and its message. A block's lines share a handful of those strings, so reading a block allocates one
    /// string per line (the message) instead of four: searching the hour of a dense million-line history went from
    /// 313–320 ms to 249–260 ms (QueryOverHistoryBenchmarks).
    /// </summary>
    internal static byte[] EncodeLines(IReadOnlyList<LogLine> lines)
    {
        // The table is reused block after block (taken, not shared, so encoding stays safe from any thread).
        var table = Interlocked.Exchange(ref s_spareTable, null) ?? new NameTable();
        try
        {
            return EncodeLines(lines, table);
        }
        finally
        {
            table.Clear();
            s_spareTable = table;
        }
    }

    private static byte[] EncodeLines(IReadOnlyList<LogLine> lines, NameTable table)
    {
        // Dyno index 0 (the empty string) means no dyno: a dyno name is never empty.
        for (var i = 0; i < lines.Count; i++)
        {
            table.Index(lines[i].Source);
            table.Index(lines[i].ProcId);
            if (lines[i].Dyno is { } dyno)
            {
                table.Index(dyno.Value);
            }
        }

        using var writer = new BlockWriter(lines.Count * 320);
        writer.Write7BitEncodedInt(table.Names.Count);
        foreach (var value in table.Names)
        {
            writer.Write(value);
        }

        writer.Write7BitEncodedInt(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            writer.Write(lines[i].Time.UtcTicks);
            writer.Write((byte)lines[i].Kind);
            writer.Write7BitEncodedInt(table.Index(lines[i].Source));
            writer.Write7BitEncodedInt(table.Index(lines[i].ProcId));
            writer.Write7BitEncodedInt(lines[i].Dyno is { } dyno ? table.Index(dyno.Value) : 0);
            lines[i].WriteMessageTo(writer); // still UTF-8 when made from the line: stored as is
        }

        return writer.ToArray();
    }

    internal static List<LogLine> DecodeLines(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data, writable: false));
        var table = new string[reader.Read7BitEncodedInt()];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = reader.ReadString();
        }

        var count = reader.Read7BitEncodedInt();
        var lines = new List<LogLine>(count);
        for (var i = 0; i < count; i++)
        {
            var time = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var kind = (LineKind)reader.ReadByte();
            var source = table[reader.Read7BitEncodedInt()];
            var procId = table[reader.Read7BitEncodedInt()];
            var dyno = reader.Read7BitEncodedInt();
            lines.Add(new LogLine(time, source, procId, dyno == 0 ? null : new DynoName(table[dyno]), kind, reader.ReadString()));
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

    /// <summary>A block's distinct strings in first-seen order, the empty string first (index 0).</summary>
    private sealed class NameTable
    {
        private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal) { [string.Empty] = 0 };

        public List<string> Names { get; } = [string.Empty];

        public int Index(string value)
        {
            if (!_indexes.TryGetValue(value, out var index))
            {
                _indexes[value] = index = Names.Count;
                Names.Add(value);
            }

            return index;
        }

        public void Clear()
        {
            var many = Names.Count > 256;
            _indexes.Clear();
            Names.Clear();
            if (many)
            {
                // A block of odd names must not keep its table's size for good.
                _indexes.TrimExcess();
                Names.TrimExcess();
            }

            _indexes[string.Empty] = 0;
            Names.Add(string.Empty);
        }
    }
}
