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
                deleted += (int)LineBlocks.DeleteApp(app);
                deleted += _lines.DeleteMany(LiteDB.Query.EQ("a", app));
                _apps.Delete(app);
            });
            _knownApps.Remove(app);
            ForgetLedger(app);
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
                // The document carries the app's kept-from mark: it moves with the name.
                var appDoc = _apps.FindById(app) ?? new BsonDocument();
                _apps.Delete(app);
                appDoc["_id"] = newName;
                _apps.Upsert(appDoc);
            });
            _knownApps.Remove(app);
            _knownApps.Add(newName);
            RenameLedger(app, newName);
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
