using LiteDB;

namespace DynoDashboard.Core.History;

/// <summary>
/// Items (events, log lines) stored in blocks: one document per app per write, at most <c>perBlock</c> items each, keyed
/// by arrival, with the block's oldest (<c>t</c>) and newest (<c>u</c>) item time and its item count (<c>n</c>). One
/// LiteDB document per item cost 30–80 µs to insert and about as much to read back, which made a storm of H12s or a
/// chatty app the history writer's whole load; a block costs one insert and one read. Reads walk the blocks that
/// overlap the range newest first and stop as soon as no older block can change the answer.
/// </summary>
internal sealed class HistoryBlocks<T>(
    ILiteCollection<BsonDocument> collection,
    int perBlock,
    Func<T, DateTimeOffset> timeOf,
    Func<IReadOnlyList<T>, byte[]> encode,
    Func<byte[], List<T>> decode)
{
    public void EnsureIndexes() => collection.EnsureIndex("u");

    /// <summary>Inserts the app's items (called inside the write transaction); returns the blocks, with their ids.</summary>
    public List<BsonDocument> Insert(string app, List<T> items)
    {
        var blocks = Documents(app, items).ToList();
        collection.InsertBulk(blocks);
        return blocks;
    }

    /// <summary>Up to <paramref name="limit"/> matching items of the app in [from, before), newest first.</summary>
    public List<T> NewestFirst(string app, DateTimeOffset from, DateTimeOffset before, int limit, Func<T, bool> matches)
    {
        if (limit <= 0 || before <= from)
        {
            return [];
        }

        // The newest `limit` so far, the oldest of them on top: it is the bar a remaining block must clear.
        var top = new PriorityQueue<(T Item, long Arrival), (long Ticks, long Arrival)>();
        long arrival = 0;

        // Newest block first by its newest item. A block can also hold older items (late arrivals), so the walk stops
        // only once `limit` items are in hand and the next block's newest is older than the oldest of them. The app is
        // checked in C#: the only index is `u`, and an app condition would be evaluated per document anyway.
        var blocks = collection.Query()
            .Where(LiteDB.Query.GTE("u", from.UtcTicks))
            .OrderByDescending("u")
            .ToEnumerable();
        foreach (var block in blocks)
        {
            if (top.Count >= limit && top.TryPeek(out _, out var bar) && block["u"].AsInt64 < bar.Ticks)
            {
                break;
            }

            if (block["a"].AsString != app || block["t"].AsInt64 >= before.UtcTicks)
            {
                continue;
            }

            // Arrival order: blocks come newest first, items in a block oldest first.
            var items = decode(block["b"].AsBinary);
            var blockArrival = arrival - items.Count;
            arrival = blockArrival;
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var time = timeOf(item);
                if (time < from || time >= before || !matches(item))
                {
                    continue;
                }

                var key = (time.UtcTicks, blockArrival + i);
                if (top.Count < limit)
                {
                    top.Enqueue((item, key.Item2), key);
                }
                else if (top.TryPeek(out _, out var oldest) && key.CompareTo(oldest) > 0)
                {
                    top.DequeueEnqueue((item, key.Item2), key);
                }
            }
        }

        var result = new List<(T Item, (long, long) Key)>(top.Count);
        while (top.TryDequeue(out var entry, out var key))
        {
            result.Add((entry.Item, key));
        }

        result.Reverse(); // dequeued oldest first
        return [.. result.Select(r => r.Item)];
    }

    /// <summary>Deletes up to <paramref name="budget"/> blocks whose newest item is older than <paramref name="ticks"/>
    /// (whole blocks only), of one app or of all; returns what went, block by block.</summary>
    public List<DeletedBlock> DeleteOlder(long ticks, int budget, string? app = null)
    {
        if (budget <= 0)
        {
            return [];
        }

        // The app is checked in C#: the only index is `u` (see NewestFirst).
        var old = collection.Query().Where(LiteDB.Query.LT("u", ticks)).Select("{ _id: $._id, a: $.a, n: $.n, u: $.u }")
            .ToEnumerable().Where(b => app is null || b["a"].AsString == app).Take(budget).ToList();
        var deleted = new List<DeletedBlock>(old.Count);
        foreach (var block in old)
        {
            collection.Delete(block["_id"]);
            deleted.Add(new DeletedBlock(block["a"].AsString, block["n"].AsInt32, block["u"].AsInt64));
        }

        return deleted;
    }

    /// <summary>Deletes one block (the caller knows which: the line budgets keep each app's blocks in arrival order).</summary>
    public void Delete(long id) => collection.Delete(id);

    /// <summary>Deletes the <paramref name="drop"/> oldest items (by arrival) of a block and rewrites the rest; returns
    /// the newest time among the items deleted (ticks), or null when the block is gone.</summary>
    public long? DropOldest(long id, int drop)
    {
        if (collection.FindById(id) is not { } whole)
        {
            return null;
        }

        var kept = decode(whole["b"].AsBinary);
        var newestDropped = kept.Take(drop).Max(i => timeOf(i).UtcTicks);
        kept.RemoveRange(0, drop);
        whole["t"] = kept.Min(i => timeOf(i).UtcTicks);
        whole["n"] = kept.Count;
        whole["b"] = encode(kept);
        collection.Update(whole);
        return newestDropped;
    }

    /// <summary>Every block's id, app, item count and newest item, in arrival order (at start-up: the line budgets).</summary>
    public IEnumerable<BsonDocument> Summaries() =>
        collection.Query().OrderBy("_id").Select("{ _id: $._id, a: $.a, n: $.n, u: $.u }").ToEnumerable();

    /// <summary>Whether any block of the app is left (walks the blocks until one is found: for an app whose other
    /// documents are all gone).</summary>
    public bool Any(string app) =>
        collection.Query().Select("{ a: $.a }").ToEnumerable().Any(b => b["a"].AsString == app);

    /// <summary>Items in every block (walks all blocks: at start-up and in tests).</summary>
    public long CountItems() => collection.Query().Select("{ n: $.n }").ToEnumerable().Sum(b => (long)b["n"].AsInt32);

    /// <summary>Deletes the app's blocks; returns the items they held.</summary>
    public long DeleteApp(string app)
    {
        var blocks = collection.Query().Select("{ _id: $._id, a: $.a, n: $.n }").ToEnumerable().Where(b => b["a"].AsString == app).ToList();
        foreach (var block in blocks)
        {
            collection.Delete(block["_id"]);
        }

        return blocks.Sum(b => (long)b["n"].AsInt32);
    }

    public void RenameApp(string app, string newName)
    {
        foreach (var doc in collection.Find(LiteDB.Query.EQ("a", app)).ToList())
        {
            doc["a"] = newName;
            collection.Update(doc);
        }
    }

    private IEnumerable<BsonDocument> Documents(string app, List<T> items)
    {
        for (var start = 0; start < items.Count; start += perBlock)
        {
            var block = items.GetRange(start, Math.Min(perBlock, items.Count - start));
            yield return new BsonDocument
            {
                ["a"] = app,
                ["t"] = block.Min(i => timeOf(i).UtcTicks),
                ["u"] = block.Max(i => timeOf(i).UtcTicks),
                ["n"] = block.Count,
                ["b"] = encode(block),
            };
        }
    }
}

/// <summary>A block deleted by retention: its app, how many items it held and its newest item's time (ticks).</summary>
internal readonly record struct DeletedBlock(string App, int Items, long Newest);
