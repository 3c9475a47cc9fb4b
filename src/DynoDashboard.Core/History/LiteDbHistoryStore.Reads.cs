using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using LiteDB;

namespace DynoDashboard.Core.History;

/// <summary>The read side: safe to call from any thread while the writer writes (one shared LiteDatabase).</summary>
public sealed partial class LiteDbHistoryStore
{
    public IReadOnlyList<SeriesPoint> GetSeries(
        string app, DynoName dyno, RuntimeMetric metric, DateTimeOffset start, DateTimeOffset until)
    {
        var points = new List<SeriesPoint>();
        if (until < start)
        {
            return points;
        }

        foreach (var doc in _samples.Find(DynoRange(app, dyno, MinuteOf(start), MinuteOf(until))))
        {
            var minute = DecodeSamples(doc);
            for (var i = 0; i < minute.Count; i++)
            {
                var sample = minute[i];
                var value = sample.Get(metric);
                if (sample.Time >= start && sample.Time <= until && !double.IsNaN(value))
                {
                    points.Add(new SeriesPoint(sample.Time, value));
                }
            }
        }

        return points;
    }

    public bool HasDyno(string app, DynoName dyno)
    {
        var all = DynoRange(app, dyno, 0, MinuteOf(DateTimeOffset.MaxValue));
        return _samples.Exists(all) || _rollups.Exists(all);
    }

    public IReadOnlyList<string> GetApps() =>
        [.. _apps.FindAll().Select(d => d["_id"].AsString).Order(StringComparer.Ordinal)];

    public IReadOnlyList<DynoEvent> GetEvents(
        string app, DynoName? dyno, string? code, DateTimeOffset from, DateTimeOffset before, int limit)
    {
        if (limit <= 0 || before <= from)
        {
            return [];
        }

        var query = InRangeNewestFirst(_events, from, before);
        if (dyno is { } wanted)
        {
            query = wanted == LiveStore.NoDyno ? query.Where(LiteDB.Query.EQ("d", BsonValue.Null)) : query.Where(LiteDB.Query.EQ("d", wanted.Value));
        }

        if (code is not null)
        {
            query = query.Where(LiteDB.Query.EQ("c", code.ToUpperInvariant()));
        }

        // Per-event documents from files written before event blocks, merged with the blocks.
        var single = OfApp(query, app).Take(limit).Select(HistoryDocuments.ToEvent).ToList();
        var blocks = GetBlockEvents(app, dyno, code, from, before, limit);
        if (single.Count == 0)
        {
            return blocks;
        }

        return [.. single.Concat(blocks).OrderByDescending(e => e.Time).Take(limit)];
    }

    public IReadOnlyList<LogLine> GetLines(string app, int limit) =>
        limit <= 0
            ? []
            : [.. _lines.Query().Where(LiteDB.Query.EQ("a", app)).OrderByDescending("_id").Limit(limit).ToEnumerable()
                .Select(HistoryDocuments.ToLine)];

    public IReadOnlyList<LogLine> GetLines(string app, DateTimeOffset from, DateTimeOffset before, int limit)
    {
        if (limit <= 0 || before <= from)
        {
            return [];
        }

        return [.. OfApp(InRangeNewestFirst(_lines, from, before), app).Take(limit).Select(HistoryDocuments.ToLine)];
    }

    /// <summary>
    /// Documents in [from, before), walked backwards on the t index: newest first without a sort, and stopping the
    /// enumeration stops the walk. The app is left to <see cref="OfApp"/>: given an app condition, the planner picks
    /// the a index (it looks cheaper), and then loads every document of the app and sorts it by time (2.7–8 s instead
    /// of 0.5 s for an hour of a million-line file). Files hold few apps, so the app filter rejects little.
    /// </summary>
    private static ILiteQueryable<BsonDocument> InRangeNewestFirst(
        ILiteCollection<BsonDocument> collection, DateTimeOffset from, DateTimeOffset before) =>
        collection.Query()
            .Where(LiteDB.Query.Between("t", from.UtcTicks, before.UtcTicks - 1))
            .OrderByDescending("t");

    // In C#, not as a LiteDB expression: the same result, without an expression evaluation per document (~15 % faster).
    private static IEnumerable<BsonDocument> OfApp(ILiteQueryable<BsonDocument> query, string app) =>
        query.ToEnumerable().Where(d => d["a"].AsString == app);

    public IEnumerable<StoredSample> ReadSamples(DateTimeOffset since)
    {
        foreach (var doc in Since(_samples, since))
        {
            var minute = DecodeSamples(doc);
            for (var i = 0; i < minute.Count; i++)
            {
                yield return new StoredSample(minute.App, minute.Dyno, minute[i], minute.IncarnationAt(i));
            }
        }
    }

    public IEnumerable<StoredRollup> ReadRollups(DateTimeOffset since)
    {
        foreach (var doc in Since(_rollups, since))
        {
            var minute = DecodeRollup(doc);
            foreach (var rollup in minute.Snapshots())
            {
                yield return new StoredRollup(minute.App, minute.Dyno, rollup, minute.LastRequest);
            }
        }
    }

    public (DateTimeOffset? Samples, DateTimeOffset? Rollups) GetNewest() => (NewestMinute(_samples), NewestMinute(_rollups));
}
