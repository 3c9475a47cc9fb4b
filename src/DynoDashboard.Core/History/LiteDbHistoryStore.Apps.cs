using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using LiteDB;

namespace DynoDashboard.Core.History;

public sealed partial class LiteDbHistoryStore : IHistoryAppStore
{
    private readonly Lock _appsGate = new();

    public int DeleteApp(string app)
    {
        ArgumentNullException.ThrowIfNull(app);
        lock (_appsGate)
        {
            var deleted = 0;
            InTransaction(() =>
            {
                deleted += _samples.DeleteMany(LiteDB.Query.EQ("a", app));
                deleted += _rollups.DeleteMany(LiteDB.Query.EQ("a", app));
                deleted += _events.DeleteMany(LiteDB.Query.EQ("a", app));
                deleted += (int)EventBlocks.DeleteApp(app);
                var lineBlocks = LineBlocks.DeleteApp(app);
                _lineCount -= lineBlocks;
                deleted += (int)lineBlocks;
                var lines = _lines.DeleteMany(LiteDB.Query.EQ("a", app));
                _lineCount -= lines;
                deleted += lines;
                _apps.Delete(app);
            });
            _knownApps.Remove(app);
            ForgetOpenMinutes(app);
            return deleted;
        }
    }

    public AppRenameResult RenameApp(string app, string newName)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(newName);
        lock (_appsGate)
        {
            if (!_knownApps.Contains(app))
            {
                return AppRenameResult.UnknownApp;
            }

            if (_knownApps.Contains(newName))
            {
                return AppRenameResult.NameTaken;
            }

            InTransaction(() =>
            {
                // Sample and rollup documents are keyed by app, so they move to new ids; events and lines only carry the name.
                MoveMinutes(_samples, app, newName);
                MoveMinutes(_rollups, app, newName);
                Relabel(_events, app, newName);
                EventBlocks.RenameApp(app, newName);
                LineBlocks.RenameApp(app, newName);
                Relabel(_lines, app, newName);
                _apps.Delete(app);
                _apps.Upsert(new BsonDocument { ["_id"] = newName });
            });
            _knownApps.Remove(app);
            _knownApps.Add(newName);
            ForgetOpenMinutes(app);
            return AppRenameResult.Renamed;
        }
    }

    private static void MoveMinutes(ILiteCollection<BsonDocument> collection, string app, string newName)
    {
        foreach (var doc in collection.Find(LiteDB.Query.EQ("a", app)).ToList())
        {
            var dyno = new DynoName(doc["d"].AsString);
            var minute = doc["t"].AsInt64 / TimeSpan.TicksPerMinute;
            // An hour's later segments keep their suffix (+kkk) under the new name.
            var suffix = doc["_id"].AsString[MinuteId(app, dyno, minute).Length..];
            collection.Delete(doc["_id"]);
            doc["_id"] = MinuteId(newName, dyno, minute) + suffix;
            doc["a"] = newName;
            collection.Upsert(doc);
        }
    }

    private static void Relabel(ILiteCollection<BsonDocument> collection, string app, string newName)
    {
        foreach (var doc in collection.Find(LiteDB.Query.EQ("a", app)).ToList())
        {
            doc["a"] = newName;
            collection.Update(doc);
        }
    }

    private void ForgetOpenMinutes(string app)
    {
        _newestMinute.Remove(app);
        foreach (var (id, minute) in _openSamples)
        {
            if (minute.App == app)
            {
                _openSamples.Remove(id);
            }
        }

        foreach (var (id, minute) in _openRollups)
        {
            if (minute.App == app)
            {
                _openRollups.Remove(id);
            }
        }
    }
}
