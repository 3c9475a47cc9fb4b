using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.History;
using Npgsql;

namespace DynoDashboard.Postgres;

/// <summary>
/// Alert rules, alert transitions and the restart audit, in plain tables beside the facts. Like the embedded store,
/// transitions and restarts are trimmed to a bound on insert and retention leaves them alone (an audit must outlive
/// the metrics it was about).
/// </summary>
public sealed partial class PostgresHistoryStore : IOperationsLog
{
    public IReadOnlyList<AlertRule> GetAlertRules()
    {
        using var connection = OpenConnection();
        using var command = new NpgsqlCommand(
            "SELECT name, kind, app, scope, metric, operator, threshold, code, count, for_ticks, cooldown_ticks, enabled, restart_dyno FROM alert_rules",
            connection);
        using var reader = command.ExecuteReader();
        var rules = new List<AlertRule>();
        while (reader.Read())
        {
            rules.Add(new AlertRule
            {
                Name = reader.GetString(0),
                Kind = Enum.Parse<AlertRuleKind>(reader.GetString(1)),
                App = Text(reader, 2),
                Scope = Text(reader, 3),
                Metric = Text(reader, 4),
                Operator = reader.GetString(5),
                Threshold = reader.GetDouble(6),
                Code = Text(reader, 7),
                Count = reader.GetInt32(8),
                For = TimeSpan.FromTicks(reader.GetInt64(9)),
                Cooldown = TimeSpan.FromTicks(reader.GetInt64(10)),
                Enabled = reader.GetBoolean(11),
                RestartDyno = reader.GetBoolean(12),
            });
        }

        return rules;
    }

    public void SaveAlertRule(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Execute(
            """
            INSERT INTO alert_rules (name, kind, app, scope, metric, operator, threshold, code, count, for_ticks, cooldown_ticks, enabled, restart_dyno)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, app = excluded.app, scope = excluded.scope,
                metric = excluded.metric, operator = excluded.operator, threshold = excluded.threshold, code = excluded.code,
                count = excluded.count, for_ticks = excluded.for_ticks, cooldown_ticks = excluded.cooldown_ticks,
                enabled = excluded.enabled, restart_dyno = excluded.restart_dyno
            """,
            rule.Name, rule.Kind.ToString(), rule.App, rule.Scope, rule.Metric, rule.Operator, rule.Threshold, rule.Code,
            rule.Count, rule.For.Ticks, rule.Cooldown.Ticks, rule.Enabled, rule.RestartDyno);
    }

    public bool DeleteAlertRule(string name) => Execute("DELETE FROM alert_rules WHERE name = $1", name) > 0;

    public void AddAlertTransition(AlertTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        Execute(
            """
            INSERT INTO alert_transitions (rule, app, dyno, state, at, summary, value, notify, restart_dyno)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            transition.Rule, transition.App, transition.Dyno, transition.State.ToString(), Utc(transition.At),
            transition.Summary, transition.Value, transition.Notify, transition.RestartDyno);
        Trim("alert_transitions", LiteDbHistoryStore.MaxStoredTransitions);
    }

    public IReadOnlyList<AlertTransition> GetAlertTransitions(int limit)
    {
        using var connection = OpenConnection();
        using var command = Newest(connection, "rule, app, dyno, state, at, summary, value, notify, restart_dyno", "alert_transitions", limit);
        using var reader = command.ExecuteReader();
        var transitions = new List<AlertTransition>();
        while (reader.Read())
        {
            transitions.Add(new AlertTransition(
                reader.GetString(0), reader.GetString(1), Text(reader, 2), Enum.Parse<AlertState>(reader.GetString(3)),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
                reader.GetBoolean(7), reader.GetBoolean(8)));
        }

        return transitions;
    }

    public void AddRestart(RestartRecord restart)
    {
        ArgumentNullException.ThrowIfNull(restart);
        Execute(
            """
            INSERT INTO restarts (t, app, dyno, requested_by, automatic, reason, performed, api_status, outcome, incarnation_before)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            Utc(restart.Time), restart.App, restart.Dyno, restart.RequestedBy, restart.Automatic, restart.Reason,
            restart.Performed, restart.ApiStatus, restart.Outcome, restart.IncarnationBefore);
        Trim("restarts", LiteDbHistoryStore.MaxStoredRestarts);
    }

    public IReadOnlyList<RestartRecord> GetRestarts(int limit)
    {
        using var connection = OpenConnection();
        using var command = Newest(connection,
            "t, app, dyno, requested_by, automatic, reason, performed, api_status, outcome, incarnation_before", "restarts", limit);
        using var reader = command.ExecuteReader();
        var restarts = new List<RestartRecord>();
        while (reader.Read())
        {
            restarts.Add(new RestartRecord(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetBoolean(4), reader.GetString(5), reader.GetBoolean(6), reader.GetInt32(7), reader.GetString(8),
                Text(reader, 9)));
        }

        return restarts;
    }

    // Identity ids grow with insertion, so the highest ids are the newest entries.
    private static NpgsqlCommand Newest(NpgsqlConnection connection, string columns, string table, int limit) =>
        new($"SELECT {columns} FROM {table} ORDER BY id DESC LIMIT $1", connection)
        {
            Parameters = { new() { Value = Math.Max(limit, 0) } },
        };

    /// <summary>Trims in steps of a tenth, as the embedded store does, so a full table does not pay a delete per insert.</summary>
    private void Trim(string table, int max) => Execute(
        $"""
        DELETE FROM {table} WHERE id <= (SELECT id FROM {table} ORDER BY id DESC OFFSET $1 LIMIT 1)
            AND (SELECT count(*) FROM {table}) > $2
        """,
        max, max + (max / 10));

    /// <summary>One statement on a pooled connection; null values become SQL NULL.</summary>
    private int Execute(string sql, params object?[] values)
    {
        using var connection = OpenConnection();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command.ExecuteNonQuery();
    }
}
