using System.Collections.Concurrent;
using System.Globalization;
using DynoDashboard.Core.Query;
using LiteDB;

namespace DynoDashboard.Core.History;

/// <summary>
/// Per-app budgets for stored lines, and per-app retention (history.md, "Budgets"). Each app's stored lines are counted
/// and its blocks listed in arrival order in memory (a few bytes per block of 250 lines), so enforcing an app's cap
/// deletes exactly that app's oldest blocks without walking anyone else's, and a busy app never evicts a quiet one.
/// Every deletion of an app's lines or events moves its "kept from" mark (fields <c>k</c>, <c>r</c> of its <c>apps</c>
/// document), which searches report when their window reaches before it.
/// </summary>
public sealed partial class LiteDbHistoryStore
{
    private readonly HistoryBudgets _budgets;

    // The committed marks, read by searches on any thread; the ledger's own copy changes inside transactions.
    private readonly ConcurrentDictionary<string, LinesKept> _kept = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keptChanged = new(StringComparer.Ordinal);

    // Null after a rolled-back transaction: read again from the file before the next one begins.
    private Dictionary<string, AppLines>? _ledger;
    private long _totalLines;

    public LinesKept? GetLinesKept(string app) => _kept.TryGetValue(app, out var kept) ? kept : null;

    /// <summary>Stored lines of the app (tests).</summary>
    internal long StoredLineCount(string app) => Ledger.TryGetValue(app, out var lines) ? lines.Count : 0;

    private Dictionary<string, AppLines> Ledger => _ledger ??= LoadLedger();

    private Dictionary<string, AppLines> LoadLedger()
    {
        var ledger = new Dictionary<string, AppLines>(StringComparer.Ordinal);
        foreach (var doc in _lines.Query().Select("{ a: $.a }").ToEnumerable())
        {
            var lines = Of(ledger, doc["a"].AsString);
            lines.Legacy++;
            lines.Count++;
        }

        foreach (var block in LineBlocks.Summaries())
        {
            Of(ledger, block["a"].AsString).Add(block["_id"].AsInt64, block["n"].AsInt32, block["u"].AsInt64);
        }

        _kept.Clear();
        _keptChanged.Clear();
        foreach (var app in _apps.FindAll())
        {
            if (app.TryGetValue("k", out var from) && app.TryGetValue("r", out var reason) &&
                Enum.TryParse<LinesDeletedBy>(reason.AsString, out var deletedBy))
            {
                var kept = new LinesKept(new DateTimeOffset(from.AsInt64, TimeSpan.Zero), deletedBy);
                Of(ledger, app["_id"].AsString).Kept = kept;
                _kept[app["_id"].AsString] = kept;
            }
        }

        _totalLines = ledger.Values.Sum(l => l.Count);
        return ledger;
    }

    private static AppLines Of(Dictionary<string, AppLines> ledger, string app)
    {
        if (!ledger.TryGetValue(app, out var lines))
        {
            ledger[app] = lines = new AppLines();
        }

        return lines;
    }

    private void AddLineBlocks(string app, List<BsonDocument> blocks)
    {
        var lines = Of(Ledger, app);
        foreach (var block in blocks)
        {
            lines.Add(block["_id"].AsInt64, block["n"].AsInt32, block["u"].AsInt64);
            _totalLines += block["n"].AsInt32;
        }
    }

    /// <summary>
    /// Each app's own cap first, then the overall cap, which takes from the apps holding the most lines down to an
    /// equal share (water-filling): a quiet app loses lines to it only once every busier app is down to its size.
    /// Returns the documents touched, at most about <paramref name="budget"/>.
    /// </summary>
    private int KeepLineBudgets(IEnumerable<string> apps, int budget)
    {
        var touched = 0;
        foreach (var app in apps)
        {
            if (Ledger.TryGetValue(app, out var lines) && lines.Count > _budgets.LineCap(app))
            {
                touched += DeleteOldestLines(app, lines, lines.Count - _budgets.LineCap(app), LinesDeletedBy.AppCap, budget - touched);
            }
        }

        var excess = _totalLines - _budgets.MaxLogLines;
        if (excess <= 0)
        {
            return touched;
        }

        var largest = Ledger.Where(l => l.Value.Count > 0).OrderByDescending(l => l.Value.Count).ToList();
        long sum = 0, level = 0;
        var share = largest.Count;
        for (var k = 1; k <= largest.Count; k++)
        {
            sum += largest[k - 1].Value.Count;
            var next = k < largest.Count ? largest[k].Value.Count : 0;
            if (sum - (k * next) >= excess)
            {
                share = k;
                level = (sum - excess) / k; // at or above `next`, so apps below it keep every line
                break;
            }
        }

        for (var i = 0; i < share && touched < budget; i++)
        {
            var (app, lines) = largest[i];
            if (lines.Count > level)
            {
                touched += DeleteOldestLines(app, lines, lines.Count - level, LinesDeletedBy.DiskCap, budget - touched);
            }
        }

        return touched;
    }

    /// <summary>Deletes the app's oldest <paramref name="count"/> lines by arrival: per-line documents of older files
    /// first (they are older than any block), then whole blocks, then the oldest part of the next one.</summary>
    private int DeleteOldestLines(string app, AppLines lines, long count, LinesDeletedBy reason, int budget)
    {
        long deleted = 0, newest = long.MinValue;
        var touched = 0;
        if (lines.Legacy > 0 && budget > 0)
        {
            var old = _lines.Find(LiteDB.Query.EQ("a", app)).Select(d => (Id: d["_id"], Time: d["t"].AsInt64))
                .OrderBy(d => d.Id.AsInt64).Take((int)Math.Min(count, budget)).ToList();
            foreach (var (id, time) in old)
            {
                _lines.Delete(id);
                newest = Math.Max(newest, time);
            }

            lines.Legacy -= old.Count;
            deleted += old.Count;
            touched += old.Count;
        }

        while (deleted < count && touched < budget && lines.Blocks.First is { } first)
        {
            var block = first.Value;
            var rest = count - deleted;
            if (block.Count <= rest)
            {
                LineBlocks.Delete(block.Id);
                lines.Blocks.RemoveFirst();
                deleted += block.Count;
                newest = Math.Max(newest, block.Newest);
            }
            else
            {
                newest = Math.Max(newest, LineBlocks.DropOldest(block.Id, (int)rest) ?? newest);
                block.Count -= (int)rest;
                deleted += rest;
            }

            touched++;
        }

        Forget(app, lines, deleted, newest, reason);
        return touched;
    }

    /// <summary>Deletes the app's lines older than its retention: blocks whose newest line is older (a block holding
    /// a late line can sit anywhere in arrival order, so the whole list is walked; it is in memory).</summary>
    private int ExpireLines(string app, AppLines lines, long cutoff, int budget)
    {
        long deleted = 0, newest = long.MinValue;
        var touched = 0;
        if (lines.Legacy > 0 && budget > 0)
        {
            foreach (var (id, time) in OlderOfApp(_lines, app, cutoff, budget))
            {
                _lines.Delete(id);
                newest = Math.Max(newest, time);
                lines.Legacy--;
                deleted++;
                touched++;
            }
        }

        for (var node = lines.Blocks.First; node is not null && touched < budget;)
        {
            var next = node.Next;
            if (node.Value.Newest < cutoff)
            {
                LineBlocks.Delete(node.Value.Id);
                deleted += node.Value.Count;
                newest = Math.Max(newest, node.Value.Newest);
                lines.Blocks.Remove(node);
                touched++;
            }

            node = next;
        }

        Forget(app, lines, deleted, newest, LinesDeletedBy.Retention);
        return touched;
    }

    private void Forget(string app, AppLines lines, long deleted, long newest, LinesDeletedBy reason)
    {
        if (deleted == 0)
        {
            return;
        }

        lines.Count -= deleted;
        _totalLines -= deleted;
        MarkDeleted(app, newest, reason);
    }

    /// <summary>Moves the app's kept-from mark past a deleted line or event of time <paramref name="newest"/> (ticks).</summary>
    private void MarkDeleted(string app, long newest, LinesDeletedBy reason)
    {
        var lines = Of(Ledger, app);
        var from = new DateTimeOffset(Math.Min(newest, DateTimeOffset.MaxValue.UtcTicks - 1) + 1, TimeSpan.Zero);
        if (lines.Kept is not { } kept || from > kept.From)
        {
            lines.Kept = new LinesKept(from, reason);
            _keptChanged.Add(app);
        }
    }

    /// <summary>Inside the transaction: the marks that moved, into the apps collection.</summary>
    private void SaveKept()
    {
        foreach (var app in _keptChanged)
        {
            if (Ledger.TryGetValue(app, out var lines) && lines.Kept is { } kept)
            {
                _apps.Upsert(new BsonDocument
                {
                    ["_id"] = app,
                    ["k"] = kept.From.UtcTicks,
                    ["r"] = kept.DeletedBy.ToString(),
                });
            }
        }
    }

    /// <summary>Once committed: the marks that moved become visible to searches.</summary>
    private void PublishKept()
    {
        foreach (var app in _keptChanged)
        {
            if (_ledger is not null && _ledger.TryGetValue(app, out var lines) && lines.Kept is { } kept)
            {
                _kept[app] = kept;
            }
        }

        _keptChanged.Clear();
    }

    /// <summary>After a rollback the ledger and marks may hold what the file does not: read them again.</summary>
    private void DiscardLedger()
    {
        _ledger = null;
        _keptChanged.Clear();
    }

    private void ForgetLedger(string app)
    {
        if (Ledger.Remove(app, out var lines))
        {
            _totalLines -= lines.Count;
        }

        _kept.TryRemove(app, out _);
    }

    private void RenameLedger(string app, string newName)
    {
        if (Ledger.Remove(app, out var lines))
        {
            Ledger[newName] = lines;
        }

        if (_kept.TryRemove(app, out var kept))
        {
            _kept[newName] = kept;
        }
    }

    /// <summary>Ids and times of the app's documents older than <paramref name="cutoff"/> in a collection with
    /// <c>a</c> and <c>t</c> fields, at most <paramref name="budget"/>.</summary>
    private static List<(BsonValue Id, long Time)> OlderOfApp(ILiteCollection<BsonDocument> collection, string app, long cutoff, int budget) =>
    [
        .. collection.Query().Where(LiteDB.Query.EQ("a", app)).Where(LiteDB.Query.LT("t", cutoff))
            .Select("{ _id: $._id, t: $.t }").Limit(budget).ToEnumerable().Select(d => (d["_id"], d["t"].AsInt64)),
    ];

    /// <summary>
    /// Deletes the app's sample or rollup documents keyed before <paramref name="cutoffMinute"/>, dyno by dyno: one
    /// seek finds the next dyno's first key and one key range holds its old documents, so nothing of other apps (or
    /// of this app's kept minutes) is read.
    /// </summary>
    private static int DeleteAppMinutes(ILiteCollection<BsonDocument> collection, string app, long cutoffMinute, int budget)
    {
        var prefix = app + "/";
        var after = prefix;
        var deleted = 0;
        while (deleted < budget &&
               collection.Query().Where(LiteDB.Query.GT("_id", after)).Select("{ _id: $._id }").Limit(1).FirstOrDefault() is { } next &&
               next["_id"].AsString is var id && id.StartsWith(prefix, StringComparison.Ordinal))
        {
            var dynoPrefix = id[..(id.LastIndexOf('/') + 1)];
            var end = dynoPrefix + cutoffMinute.ToString("D10", CultureInfo.InvariantCulture);
            var old = collection.Query().Where(LiteDB.Query.Between("_id", dynoPrefix, end)).Select("{ _id: $._id }")
                .Limit(Math.Min(budget - deleted, int.MaxValue - 1) + 1).ToEnumerable().Select(d => d["_id"].AsString).Where(k => k != end).Take(budget - deleted).ToList();
            foreach (var key in old)
            {
                collection.Delete(key);
            }

            deleted += old.Count;
            after = dynoPrefix + SegmentIdEnd; // past every key of this dyno
        }

        return deleted;
    }

    /// <summary>Whether anything of the app is left in the file, its lines aside (the ledger counts those).</summary>
    private bool HasAnyDocument(string app)
    {
        var prefix = app + "/";
        bool Keyed(ILiteCollection<BsonDocument> collection) =>
            collection.Query().Where(LiteDB.Query.GTE("_id", prefix)).Select("{ _id: $._id }").Limit(1).FirstOrDefault() is { } first &&
            first["_id"].AsString.StartsWith(prefix, StringComparison.Ordinal);

        return Keyed(_samples) || Keyed(_rollups) || _events.Exists(LiteDB.Query.EQ("a", app)) || EventBlocks.Any(app);
    }

    /// <summary>One app's stored lines: a count, and its blocks oldest (by arrival) first.</summary>
    private sealed class AppLines
    {
        public LinkedList<LineBlock> Blocks { get; } = new();

        /// <summary>Per-line documents of files written before blocks.</summary>
        public long Legacy { get; set; }

        public long Count { get; set; }

        public LinesKept? Kept { get; set; }

        public void Add(long id, int count, long newest)
        {
            Blocks.AddLast(new LineBlock(id, count, newest));
            Count += count;
        }
    }

    private sealed class LineBlock(long id, int count, long newest)
    {
        public long Id { get; } = id;

        public int Count { get; set; } = count;

        public long Newest { get; } = newest;
    }
}
