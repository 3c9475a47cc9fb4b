using DynoDashboard.Core.Query;
using Npgsql;

namespace DynoDashboard.Postgres;

/// <summary>
/// Retention drops whole day partitions: no row-by-row delete, no bloat to vacuum. Only the day the cutoff falls in
/// is deleted row by row, up to the cutoff, so what is kept matches the embedded store exactly (a sample hour is
/// kept while any of it is inside retention, a rollup minute likewise).
/// </summary>
public sealed partial class PostgresHistoryStore
{
    private readonly int _retentionDays = 7;

    /// <summary>Days kept, for every app: per-app budgets (history.md, "Budgets") are the embedded store's only, so far.</summary>
    public int RetentionDays
    {
        get => _retentionDays;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _retentionDays = value;
        }
    }

    /// <summary>One retention for every app (<see cref="RetentionDays"/>), counted back from <paramref name="now"/>.</summary>
    public int SweepExpired(DateTimeOffset now, int maxDeletes) => Sweep(now - TimeSpan.FromDays(RetentionDays), maxDeletes);

    /// <summary>Always null for now: this store trims its one shared line cap without recording where each app's lines
    /// are complete from, so searches over it report only the live buffer's part of the notice.</summary>
    public LinesKept? GetLinesKept(string app) => null;

    /// <summary>Counts a dropped partition as one deletion, like a block in the embedded store: a call returns less
    /// than <paramref name="maxDeletes"/> once nothing older than the cutoff is left.</summary>
    public int Sweep(DateTimeOffset cutoff, int maxDeletes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDeletes);
        lock (_writeGate)
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            var minute = MinuteOf(cutoff);
            var sweep = new SweepState(maxDeletes);
            SweepTable(connection, "samples", MinuteStart(minute - (minute % 60)), sweep);
            SweepTable(connection, "rollups", MinuteStart(minute), sweep);
            SweepTable(connection, "events", cutoff.ToUniversalTime(), sweep);
            SweepTable(connection, "lines", cutoff.ToUniversalTime(), sweep);
            transaction.Commit();

            foreach (var name in sweep.Dropped)
            {
                _partitions.Dropped(name);
            }

            _lineCount -= sweep.LinesGone;
            return sweep.Deleted;
        }
    }

    private static void SweepTable(NpgsqlConnection connection, string table, DateTimeOffset cutoff, SweepState sweep)
    {
        foreach (var (name, day) in DayPartitions.List(connection, table))
        {
            if (sweep.Budget <= 0 || day >= cutoff.UtcDateTime)
            {
                return;
            }

            if (day.AddDays(1) <= cutoff.UtcDateTime)
            {
                var rows = table == "lines" ? Count(connection, name) : 0;
                Execute(connection, $"DROP TABLE {name}");
                sweep.Dropped.Add(name);
                sweep.Deleted++;
                sweep.LinesGone += rows;
                continue;
            }

            // The cutoff's own day: its older rows, bounded by what is left of the budget.
            using var delete = new NpgsqlCommand(
                $"DELETE FROM {name} WHERE ctid = ANY (ARRAY (SELECT ctid FROM {name} WHERE t < $1 LIMIT $2))", connection)
            {
                Parameters = { new() { Value = cutoff }, new() { Value = sweep.Budget } },
            };
            var deleted = delete.ExecuteNonQuery();
            sweep.Deleted += deleted;
            if (table == "lines")
            {
                sweep.LinesGone += deleted;
            }

            return;
        }
    }

    private static long Count(NpgsqlConnection connection, string table) => Scalar<long>(connection, $"SELECT count(*) FROM {table}");

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private sealed class SweepState(int maxDeletes)
    {
        public int Deleted { get; set; }

        public int Budget => maxDeletes - Deleted;

        public long LinesGone { get; set; }

        public List<string> Dropped { get; } = [];
    }
}
