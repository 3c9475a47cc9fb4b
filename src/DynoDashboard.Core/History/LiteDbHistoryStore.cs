using System.Globalization;
using System.Runtime.InteropServices;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;
using LiteDB;

namespace DynoDashboard.Core.History;

/// <summary>
/// History in one LiteDB file (direct mode). Exactly one instance per file per process: two <c>LiteDatabase</c>
/// objects on one file corrupt it on Linux (stack-notes.md), so the host holds this as a singleton.
/// <para>
/// Documents are compact: one per dyno per hour for samples and one per dyno per minute for rollups, keyed
/// <c>app/dyno/minute</c> (an hour document by its first minute) so that a dyno's time range is one primary-key
/// range seek; a <c>t</c> index serves retention and re-seeding. Documents still being written stay in memory and
/// are upserted whole at each write, so everything that reached <see cref="Write"/> is on disk when it returns.
/// </para>
/// </summary>
public sealed partial class LiteDbHistoryStore : IHistoryStore
{
    internal const string SamplesName = "samples";
    internal const string RollupsName = "rollups";
    internal const string EventsName = "events";
    internal const string LinesName = "lines";
    internal const string AppsName = "apps";

    // Open documents untouched for this many writes (about 2 min at one write a second) leave the cache; a late
    // fact for them reloads the document.
    private const long IdleWrites = 120;

    // Also closed once their app's newest fact is this many minutes past their end, whatever the write rate: with
    // replayed or time-compressed input (the load generator's --time-scale, a fast demo) a write can span many data
    // minutes, and counting writes alone would keep every minute of the last 120 writes open.
    private const long LateMinutes = 5;

    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _samples;
    private readonly ILiteCollection<BsonDocument> _rollups;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly ILiteCollection<BsonDocument> _lines;
    private readonly ILiteCollection<BsonDocument> _apps;
    // Keyed by value, not by the document id string: a lookup per router fact and sample must not format and concatenate
    // an id (that was most of the writer's allocations); the id is built only when a document is read or written.
    private readonly Dictionary<OpenKey, SampleHour> _openSamples = [];
    private readonly Dictionary<OpenKey, RollupMinute> _openRollups = [];
    private readonly Func<OpenKey, SampleHour> _readHour;
    private readonly Func<OpenKey, RollupMinute> _readRollup;
    private readonly Dictionary<string, long> _newestMinute = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownApps = new(StringComparer.Ordinal);

    // One write's open documents and items per app, reused write after write (one write at a time, under _appsGate) and
    // emptied after each: made anew, they and the per-app lists growing from empty were a few KB of garbage per write,
    // at several writes a second under a busy drain.
    private readonly HashSet<SampleHour> _writeSamples = [];
    private readonly HashSet<RollupMinute> _writeRollups = [];
    private readonly PerApp<DynoEvent> _writeEvents = new();
    private readonly PerApp<LogLine> _writeLines = new();
    private long _writes;

    /// <param name="path">The database file; its folder is created if needed.</param>
    /// <param name="maxLogLines">Stored log lines kept at most, per app and in all (one shared number).</param>
    public LiteDbHistoryStore(string path, int maxLogLines)
        : this(path, HistoryBudgets.Shared(maxLogLines))
    {
    }

    /// <param name="path">The database file; its folder is created if needed.</param>
    /// <param name="budgets">Retention and line caps per app and in all.</param>
    public LiteDbHistoryStore(string path, HistoryBudgets budgets)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(budgets);
        budgets.Validate();
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder)
        {
            PrivateFiles.CreateFolder(folder);
        }

        // LiteDB creates its files with the process's default mode; made first, they keep 0600 (LiteDB deletes the
        // log at a clean close and recreates it at the next write, into the file made here).
        PrivateFiles.PreCreate(Path);
        PrivateFiles.PreCreate(LogPathOf(Path));


        _budgets = budgets;
        _db = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct });
        _samples = _db.GetCollection(SamplesName);
        _rollups = _db.GetCollection(RollupsName);
        _events = _db.GetCollection(EventsName, BsonAutoId.Int64);
        _lines = _db.GetCollection(LinesName, BsonAutoId.Int64);
        _apps = _db.GetCollection(AppsName);
        _readHour = key => ReadHourForWriting(key.App, key.Dyno, key.Minute);
        _readRollup = key => _rollups.FindById(MinuteId(key.App, key.Dyno, key.Minute)) is { } stored
            ? DecodeRollup(stored)
            : new RollupMinute(key.App, key.Dyno, key.Minute);
        _samples.EnsureIndex("t");
        _rollups.EnsureIndex("t");
        _events.EnsureIndex("t");
        _events.EnsureIndex("a");
        EventBlocks.EnsureIndexes();
        LineBlocks.EnsureIndexes();
        _lines.EnsureIndex("t");
        _lines.EnsureIndex("a");
        _ = Ledger; // read now, so that start-up pays for it and searches see the kept-from marks
        foreach (var app in _apps.FindAll())
        {
            _knownApps.Add(app["_id"].AsString);
        }
    }

    public string Path { get; }

    /// <summary>Readings encoded into sample documents so far: what writes cost (tests check it stays per segment).</summary>
    internal long SampleReadingsEncoded { get; private set; }

    public void Write(IReadOnlyList<HistoryBatch> batches)
    {
        // The writer thread is the only caller of Write, but deleting or renaming an app (an API request) touches the
        // same open-minute caches; both take this gate.
        lock (_appsGate)
        {
            WriteUnlocked(batches);
        }
    }

    private void WriteUnlocked(IReadOnlyList<HistoryBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        try
        {
            WriteUnlocked(batches, _writeSamples, _writeRollups, _writeEvents, _writeLines);
        }
        finally
        {
            _writeSamples.Clear();
            _writeRollups.Clear();
            _writeEvents.Clear();
            _writeLines.Clear();
        }
    }

    private void WriteUnlocked(IReadOnlyList<HistoryBatch> batches, HashSet<SampleHour> samples,
        HashSet<RollupMinute> rollups, PerApp<DynoEvent> events, PerApp<LogLine> lines)
    {
        _writes++;
        var newApps = new List<string>();
        foreach (var batch in batches)
        {
            if (batch.Count > 0 && _knownApps.Add(batch.App))
            {
                newApps.Add(batch.App);
            }

            var newest = long.MinValue;
            foreach (var fact in batch.Samples)
            {
                var hour = SampleHourFor(batch.App, fact.Dyno, fact.Sample.Time);
                hour.Add(fact.Sample, fact.Incarnation);
                samples.Add(hour);
                newest = Math.Max(newest, fact.Sample.Time.UtcTicks);
            }

            foreach (var fact in batch.Requests)
            {
                var minute = RollupMinuteFor(batch.App, fact.RollupDyno, fact.Time);
                minute.Add(fact);
                rollups.Add(minute);
                newest = Math.Max(newest, fact.Time.UtcTicks);
            }

            if (newest != long.MinValue)
            {
                // Once per batch, not per fact: the per-fact loops above are the writer's hot path.
                ref var appNewest = ref CollectionsMarshal.GetValueRefOrAddDefault(_newestMinute, batch.App, out _);
                appNewest = Math.Max(appNewest, newest / TimeSpan.TicksPerMinute);
            }

            events.Add(batch.App, batch.Events);
            lines.Add(batch.App, batch.Lines);
        }

        InTransaction(() =>
        {
            WriteJournalCheckpoint(batches);
            foreach (var app in newApps)
            {
                _apps.Upsert(new BsonDocument { ["_id"] = app });
            }

            foreach (var hour in samples)
            {
                foreach (var segment in hour.DirtySegments())
                {
                    _samples.Upsert(SegmentDocument(hour, segment));
                    SampleReadingsEncoded += Math.Min(SampleHour.SegmentSize, hour.Count - (segment * SampleHour.SegmentSize));
                }
            }

            foreach (var minute in rollups)
            {
                _rollups.Upsert(RollupDocument(minute));
            }

            foreach (var (app, appEvents) in events.ByApp)
            {
                EventBlocks.Insert(app, appEvents);
            }

            foreach (var (app, appLines) in lines.ByApp)
            {
                AddLineBlocks(app, LineBlocks.Insert(app, appLines));
            }

            KeepLineBudgets(lines.ByApp.Keys, int.MaxValue);
            SaveKept();
        });

        // Only once committed: after a failed write the same segments are stored again next time.
        foreach (var hour in samples)
        {
            hour.MarkWritten();
        }

        ForgetIdleMinutes();
    }

    public int Sweep(DateTimeOffset cutoff, int maxDeletes) => Sweep(_ => cutoff, cutoff, maxDeletes);

    public int SweepExpired(DateTimeOffset now, int maxDeletes) => Sweep(
        app => now - TimeSpan.FromDays(_budgets.RetentionDaysOf(app)),
        now - TimeSpan.FromDays(_budgets.LongestRetentionDays),
        maxDeletes);

    /// <param name="cutoffOf">Each app's cutoff.</param>
    /// <param name="everyone">The earliest cutoff of all (the longest retention): older documents go, whoever's.</param>
    /// <param name="maxDeletes">Documents deleted at most.</param>
    private int Sweep(Func<string, DateTimeOffset> cutoffOf, DateTimeOffset everyone, int maxDeletes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDeletes);
        // Under the gate: the ledger and the known apps are shared with Write, DeleteApp and RenameApp.
        lock (_appsGate)
        {
            var deleted = 0;
            var swept = new HashSet<string>(StringComparer.Ordinal);
            var emptied = new List<string>();
            InTransaction(() =>
            {
                // Documents are keyed by their start, so an hour (samples) or a minute (rollups) is kept while any of it
                // is inside retention. Minute-layout sample documents of the cutoff's hour wait for that hour too.
                deleted += DeleteOlder(_samples, SampleHour.HourStart(MinuteOf(everyone)) * TimeSpan.TicksPerMinute, maxDeletes - deleted, swept);
                deleted += DeleteOlder(_rollups, MinuteOf(everyone) * TimeSpan.TicksPerMinute, maxDeletes - deleted, swept);
                deleted += DeleteOlder(_events, everyone.UtcTicks, maxDeletes - deleted, swept, markDeleted: true);
                deleted += DeleteEventBlocks(everyone.UtcTicks, maxDeletes - deleted, null, swept); // whole blocks

                // Apps whose own retention is shorter than the longest: their older documents, app by app.
                foreach (var app in _knownApps)
                {
                    var cutoff = cutoffOf(app);
                    if (cutoff > everyone)
                    {
                        deleted += SweepApp(app, cutoff, maxDeletes - deleted, swept);
                    }
                }

                foreach (var (app, lines) in Ledger)
                {
                    var expired = ExpireLines(app, lines, cutoffOf(app).UtcTicks, maxDeletes - deleted);
                    deleted += expired;
                    if (expired > 0)
                    {
                        swept.Add(app);
                    }
                }

                // Caps lowered in the settings since the file was written take effect here (at start-up) too.
                deleted += KeepLineBudgets([.. Ledger.Keys], maxDeletes - deleted);
                SaveKept();

                // An app whose retention has ended for everything it stored is no longer listed (or re-seeded).
                foreach (var app in swept)
                {
                    if (StoredLineCount(app) == 0 && !HasAnyDocument(app))
                    {
                        _apps.Delete(app);
                        emptied.Add(app);
                    }
                }
            });

            foreach (var app in emptied)
            {
                _knownApps.Remove(app);
                ForgetOpenMinutes(app);
                ForgetLedger(app);
            }

            return deleted;
        }
    }

    private int SweepApp(string app, DateTimeOffset cutoff, int budget, HashSet<string> swept)
    {
        var deleted = DeleteAppMinutes(_samples, app, SampleHour.HourStart(MinuteOf(cutoff)), budget);
        deleted += DeleteAppMinutes(_rollups, app, MinuteOf(cutoff), budget - deleted);
        foreach (var (id, time) in OlderOfApp(_events, app, cutoff.UtcTicks, budget - deleted))
        {
            _events.Delete(id);
            MarkDeleted(app, time, LinesDeletedBy.Retention);
            deleted++;
        }

        deleted += DeleteEventBlocks(cutoff.UtcTicks, budget - deleted, app, swept);
        if (deleted > 0)
        {
            swept.Add(app);
        }

        return deleted;
    }

    private int DeleteEventBlocks(long cutoff, int budget, string? app, HashSet<string> swept)
    {
        var blocks = EventBlocks.DeleteOlder(cutoff, budget, app);
        foreach (var block in blocks)
        {
            // Events are searched as the lines they came from: their retention moves the kept-from mark too.
            MarkDeleted(block.App, block.Newest, LinesDeletedBy.Retention);
            swept.Add(block.App);
        }

        return blocks.Count;
    }

    public HistoryFileInfo GetFileInfo() => FileInfoOf(Path);

    /// <summary>The sizes of the database at <paramref name="path"/> and its log, from the filesystem alone (no engine
    /// needed, so status still answers while the file is being reopened).</summary>
    public static HistoryFileInfo FileInfoOf(string path)
    {
        var log = LogPathOf(path);
        return new HistoryFileInfo(path, LengthOf(path), LengthOf(log));
    }

    /// <summary>0 for a missing file: LiteDB deletes its log at a checkpoint, which can fall between a check and a read.</summary>
    private static long LengthOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Documents per collection, events and lines counted one by one inside their blocks (walks every index
    /// and block: for tests and benchmarks, not for status).</summary>
    internal (long SampleHours, long RollupMinutes, long Events, long Lines) CountDocuments() =>
        (_samples.LongCount(), _rollups.LongCount(),
            _events.LongCount() + EventBlocks.CountItems(), _lines.LongCount() + LineBlocks.CountItems());

    /// <summary>Writes pending log pages into the data file (benchmarks and size tests measure the data file).</summary>
    public void Checkpoint() => _db.Checkpoint();

    public void Dispose() => _db.Dispose();

    internal static long MinuteOf(DateTimeOffset time) => time.UtcTicks / TimeSpan.TicksPerMinute;

    /// <summary><c>app/dyno/minute</c>: '/' sorts below every character of app and dyno names, and the minute is
    /// fixed-width, so one dyno's documents form one contiguous key range in time order.</summary>
    internal static string MinuteId(string app, DynoName dyno, long minute) =>
        string.Concat(app, "/", dyno.Value, "/", minute.ToString("D10", CultureInfo.InvariantCulture));

    private int DeleteOlder(ILiteCollection<BsonDocument> collection, long ticks, int budget, HashSet<string> swept,
        bool markDeleted = false)
    {
        if (budget <= 0)
        {
            return 0;
        }

        // Bounded: at most `budget` ids per call, so one sweep never holds the writer for long.
        var old = collection.Query().Where(LiteDB.Query.LT("t", ticks)).Select("{ _id: $._id, a: $.a, t: $.t }").Limit(budget).ToList();
        foreach (var doc in old)
        {
            collection.Delete(doc["_id"]);
            var app = doc["a"].AsString;
            swept.Add(app);
            if (markDeleted)
            {
                MarkDeleted(app, doc["t"].AsInt64, LinesDeletedBy.Retention);
            }
        }

        return old.Count;
    }

    private void InTransaction(Action action)
    {
        // LiteDB transactions belong to the calling thread: begin, act and commit without awaiting in between.
        _ = Ledger; // read before the transaction changes anything it counts
        _db.BeginTrans();
        try
        {
            action();
            _db.Commit();
            PublishKept();
        }
        catch
        {
            _db.Rollback();
            DiscardLedger();
            throw;
        }
    }

    /// <summary>The open hour document; opened at the hour's start, so its id is the hour's first minute. In a file
    /// written in the per-minute layout that id may hold the hour's first minute, which then becomes the hour.</summary>
    private SampleHour SampleHourFor(string app, DynoName dyno, DateTimeOffset time) =>
        OpenMinute(_openSamples, new OpenKey(app, dyno, SampleHour.HourStart(MinuteOf(time))), _readHour);

    /// <summary>The stored hour with all its segments, or a new one. An hour stored whole (before segments) or cut
    /// differently is marked for a full rewrite, so its first document shrinks to one segment and no reading is
    /// stored twice.</summary>
    private SampleHour ReadHourForWriting(string app, DynoName dyno, long minute)
    {
        var id = MinuteId(app, dyno, minute);
        var docs = _samples.Find(LiteDB.Query.Between("_id", id, id + SegmentIdEnd)).ToList();
        if (docs.Count == 0)
        {
            return new SampleHour(app, dyno, minute);
        }

        var hour = MergeHours(docs).Single();
        var canonical = docs.Count == (hour.Count + SampleHour.SegmentSize - 1) / SampleHour.SegmentSize &&
            docs.SkipLast(1).All(d => DecodeSamples(d).Count == SampleHour.SegmentSize);
        if (canonical)
        {
            hour.MarkWritten();
        }
        else
        {
            hour.MarkAllDirty();
        }

        return hour;
    }

    private RollupMinute RollupMinuteFor(string app, DynoName dyno, DateTimeOffset time) =>
        OpenMinute(_openRollups, new OpenKey(app, dyno, MinuteOf(time)), _readRollup);

    /// <summary>The open document at <paramref name="key"/>: cached, else read back (or new).</summary>
    private T OpenMinute<T>(Dictionary<OpenKey, T> open, OpenKey key, Func<OpenKey, T> load)
        where T : IOpenMinute
    {
        if (!open.TryGetValue(key, out var document))
        {
            document = load(key);
            open.Add(key, document);
        }

        document.Touched = _writes;
        return document;
    }

    private void ForgetIdleMinutes()
    {
        Forget(_openSamples, spanMinutes: 60);
        Forget(_openRollups, spanMinutes: 1);

        void Forget<T>(Dictionary<OpenKey, T> open, long spanMinutes)
            where T : IOpenMinute
        {
            foreach (var (id, minute) in open)
            {
                if (_writes - minute.Touched >= IdleWrites ||
                    id.Minute + spanMinutes + LateMinutes <= _newestMinute.GetValueOrDefault(id.App))
                {
                    open.Remove(id);
                }
            }
        }
    }

    /// <summary>Documents held open for late facts (tests).</summary>
    internal int OpenDocuments => _openSamples.Count + _openRollups.Count;

    /// <summary>Internal for the benchmarks' per-minute baseline, which stores minute-long blocks the same way.</summary>
    internal static BsonDocument SampleDocument(SampleHour hour) => new()
    {
        ["_id"] = MinuteId(hour.App, hour.Dyno, hour.StartMinute),
        ["a"] = hour.App,
        ["d"] = hour.Dyno.Value,
        ["t"] = hour.StartMinute * TimeSpan.TicksPerMinute,
        ["s"] = hour.Encode(),
    };

    /// <summary>One segment of an hour. Every segment carries the hour's <c>t</c> (retention deletes them together);
    /// <c>k</c> marks a segment after the first, so reads tell it from a minute document of the older layout.</summary>
    private static BsonDocument SegmentDocument(SampleHour hour, int segment)
    {
        var doc = new BsonDocument
        {
            ["_id"] = MinuteId(hour.App, hour.Dyno, hour.StartMinute) + SampleHour.SegmentSuffix(segment),
            ["a"] = hour.App,
            ["d"] = hour.Dyno.Value,
            ["t"] = hour.StartMinute * TimeSpan.TicksPerMinute,
            ["s"] = hour.EncodeSegment(segment),
        };
        if (segment > 0)
        {
            doc["k"] = segment;
        }

        return doc;
    }

    private static BsonDocument RollupDocument(RollupMinute minute) => new()
    {
        ["_id"] = MinuteId(minute.App, minute.Dyno, minute.Minute),
        ["a"] = minute.App,
        ["d"] = minute.Dyno.Value,
        ["t"] = minute.Minute * TimeSpan.TicksPerMinute,
        ["l"] = minute.LastRequest.UtcTicks,
        ["r"] = minute.Encode(),
    };

    /// <summary>Either layout: an hour document, or a minute document of a file written before.</summary>
    private static SampleHour DecodeSamples(BsonDocument doc) => SampleHour.Decode(
        doc["a"].AsString, new DynoName(doc["d"].AsString), doc["t"].AsInt64 / TimeSpan.TicksPerMinute, doc["s"].AsBinary);

    private static RollupMinute DecodeRollup(BsonDocument doc) => RollupMinute.Decode(
        doc["a"].AsString, new DynoName(doc["d"].AsString), doc["t"].AsInt64 / TimeSpan.TicksPerMinute, doc["r"].AsBinary,
        new DateTimeOffset(doc["l"].AsInt64, TimeSpan.Zero));

    private static DateTimeOffset? NewestMinute(ILiteCollection<BsonDocument> collection)
    {
        var newest = collection.Query().OrderByDescending("t").Select("t").Limit(1).FirstOrDefault();
        return newest is null ? null : new DateTimeOffset(newest["t"].AsInt64, TimeSpan.Zero);
    }

    private static IEnumerable<BsonDocument> Since(ILiteCollection<BsonDocument> collection, DateTimeOffset since) =>
        collection.Find(LiteDB.Query.GTE("t", MinuteOf(since) * TimeSpan.TicksPerMinute));

    /// <summary>Sorts after every segment suffix of an id (<c>+kkk</c>) and before the next minute's id.</summary>
    private const string SegmentIdEnd = "~";

    private static BsonExpression DynoRange(string app, DynoName dyno, long fromMinute, long toMinute) =>
        LiteDB.Query.Between("_id", MinuteId(app, dyno, fromMinute), MinuteId(app, dyno, toMinute) + SegmentIdEnd);

    /// <summary>An open document: the app, the dyno and its first minute (an hour's first minute for samples).</summary>
    private readonly record struct OpenKey(string App, DynoName Dyno, long Minute);

    /// <summary>One write's items per app, apps in the order they first appear in the write (blocks are inserted in that
    /// order, as before); <see cref="Clear"/> keeps the lists for the next write unless one grew past the large-object
    /// heap's threshold.</summary>
    private sealed class PerApp<T>
        where T : class
    {
        private const int MaxKeptCapacity = 8_192;
        private readonly Stack<List<T>> _spare = new();

        public Dictionary<string, List<T>> ByApp { get; } = new(StringComparer.Ordinal);

        public void Add(string app, List<T> items)
        {
            if (items.Count == 0)
            {
                return;
            }

            if (!ByApp.TryGetValue(app, out var list))
            {
                ByApp[app] = list = _spare.Count > 0 ? _spare.Pop() : [];
            }

            list.AddRange(items);
        }

        public void Clear()
        {
            foreach (var list in ByApp.Values)
            {
                list.Clear();
                if (list.Capacity <= MaxKeptCapacity)
                {
                    _spare.Push(list);
                }
            }

            ByApp.Clear();
        }
    }
}
