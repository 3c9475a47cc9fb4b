using DynoDashboard.Core.Analysis;
using LiteDB;

namespace DynoDashboard.Core.History;

/// <summary>
/// Alert rules added in the UI, alert transitions and the restart audit, in their own collections of the same file
/// (one <see cref="LiteDatabase"/> per file). Collections are opened on first use so a history-only host pays nothing.
/// Transitions and restarts are trimmed to a bound on insert; retention sweeps leave them alone on purpose: an
/// audit must outlive the metrics it was about.
/// </summary>
public sealed partial class LiteDbHistoryStore : IOperationsLog
{
    internal const string AlertRulesName = "alert_rules";
    internal const string AlertTransitionsName = "alert_transitions";
    internal const string RestartsName = "restarts";

    /// <summary>Transitions kept on disk; matches the in-memory history's bound.</summary>
    public const int MaxStoredTransitions = 5_000;

    /// <summary>Restarts kept on disk.</summary>
    public const int MaxStoredRestarts = 1_000;

    private ILiteCollection<BsonDocument> AlertRules => _db.GetCollection(AlertRulesName);

    private ILiteCollection<BsonDocument> AlertTransitions => _db.GetCollection(AlertTransitionsName, BsonAutoId.Int64);

    private ILiteCollection<BsonDocument> Restarts => _db.GetCollection(RestartsName, BsonAutoId.Int64);

    public IReadOnlyList<AlertRule> GetAlertRules() => [.. AlertRules.FindAll().Select(ToRule)];

    public void SaveAlertRule(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        AlertRules.Upsert(new BsonDocument
        {
            ["_id"] = rule.Name,
            ["kind"] = rule.Kind.ToString(),
            ["app"] = rule.App,
            ["scope"] = rule.Scope,
            ["metric"] = rule.Metric,
            ["op"] = rule.Operator,
            ["threshold"] = rule.Threshold,
            ["code"] = rule.Code,
            ["count"] = rule.Count,
            ["for"] = rule.For.Ticks,
            ["cooldown"] = rule.Cooldown.Ticks,
            ["enabled"] = rule.Enabled,
            ["restart"] = rule.RestartDyno,
        });
    }

    public bool DeleteAlertRule(string name) => AlertRules.Delete(name);

    public void AddAlertTransition(AlertTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        var collection = AlertTransitions;
        collection.Insert(new BsonDocument
        {
            ["rule"] = transition.Rule,
            ["app"] = transition.App,
            ["dyno"] = transition.Dyno,
            ["state"] = transition.State.ToString(),
            ["at"] = transition.At.UtcTicks,
            ["summary"] = transition.Summary,
            ["value"] = transition.Value,
            ["notify"] = transition.Notify,
            ["restart"] = transition.RestartDyno,
        });
        Trim(collection, MaxStoredTransitions);
    }

    public IReadOnlyList<AlertTransition> GetAlertTransitions(int limit) =>
        [.. Newest(AlertTransitions, limit).Select(d => new AlertTransition(
            d["rule"].AsString,
            d["app"].AsString,
            NullableString(d["dyno"]),
            Enum.Parse<AlertState>(d["state"].AsString),
            new DateTimeOffset(d["at"].AsInt64, TimeSpan.Zero),
            d["summary"].AsString,
            d["value"].IsNull ? null : d["value"].AsDouble,
            d["notify"].AsBoolean,
            d["restart"].AsBoolean))];

    public void AddRestart(RestartRecord restart)
    {
        ArgumentNullException.ThrowIfNull(restart);
        var collection = Restarts;
        collection.Insert(new BsonDocument
        {
            ["t"] = restart.Time.UtcTicks,
            ["app"] = restart.App,
            ["dyno"] = restart.Dyno,
            ["by"] = restart.RequestedBy,
            ["auto"] = restart.Automatic,
            ["reason"] = restart.Reason,
            ["performed"] = restart.Performed,
            ["status"] = restart.ApiStatus,
            ["outcome"] = restart.Outcome,
            ["incarnation"] = restart.IncarnationBefore,
        });
        Trim(collection, MaxStoredRestarts);
    }

    public IReadOnlyList<RestartRecord> GetRestarts(int limit) =>
        [.. Newest(Restarts, limit).Select(d => new RestartRecord(
            new DateTimeOffset(d["t"].AsInt64, TimeSpan.Zero),
            d["app"].AsString,
            d["dyno"].AsString,
            d["by"].AsString,
            d["auto"].AsBoolean,
            d["reason"].AsString,
            d["performed"].AsBoolean,
            d["status"].AsInt32,
            d["outcome"].AsString,
            NullableString(d["incarnation"])))];

    private static AlertRule ToRule(BsonDocument d) => new()
    {
        Name = d["_id"].AsString,
        Kind = Enum.Parse<AlertRuleKind>(d["kind"].AsString),
        App = NullableString(d["app"]),
        Scope = NullableString(d["scope"]),
        Metric = NullableString(d["metric"]),
        Operator = d["op"].AsString,
        Threshold = d["threshold"].AsDouble,
        Code = NullableString(d["code"]),
        Count = d["count"].AsInt32,
        For = TimeSpan.FromTicks(d["for"].AsInt64),
        Cooldown = TimeSpan.FromTicks(d["cooldown"].AsInt64),
        Enabled = d["enabled"].AsBoolean,
        RestartDyno = d["restart"].AsBoolean,
    };

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;

    // Auto ids grow with insertion, so the highest ids are the newest entries.
    private static IEnumerable<BsonDocument> Newest(ILiteCollection<BsonDocument> collection, int limit) =>
        collection.Find(LiteDB.Query.All(LiteDB.Query.Descending), limit: Math.Max(limit, 0));

    private static void Trim(ILiteCollection<BsonDocument> collection, int max)
    {
        // Trim in steps of a tenth so that a full collection does not pay a delete on every insert.
        var count = collection.Count();
        if (count <= max + (max / 10))
        {
            return;
        }

        var cutoff = collection.Find(LiteDB.Query.All(LiteDB.Query.Descending), skip: max, limit: 1).First()["_id"];
        collection.DeleteMany(LiteDB.Query.LTE("_id", cutoff));
    }
}
