using LiteDB;

namespace DynoDashboard.Core.History;

public sealed partial class LiteDbHistoryStore
{
    internal const string MetaName = "meta";
    private const string JournalCheckpointId = "journal";

    public long ReadJournalCheckpoint() =>
        _db.GetCollection(MetaName).FindById(JournalCheckpointId) is { } doc ? doc["p"].AsInt64 : 0;

    /// <summary>Called inside the write transaction, so the checkpoint and the facts it covers commit together.</summary>
    private void WriteJournalCheckpoint(IReadOnlyList<HistoryBatch> batches)
    {
        var position = 0L;
        foreach (var batch in batches)
        {
            position = Math.Max(position, batch.JournalPosition);
        }

        if (position > 0)
        {
            _db.GetCollection(MetaName).Upsert(new BsonDocument { ["_id"] = JournalCheckpointId, ["p"] = position });
        }
    }
}
