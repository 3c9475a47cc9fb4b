using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using Npgsql;

namespace DynoDashboard.Postgres;

public sealed partial class PostgresHistoryStore : IHistoryAppStore
{
    /// <summary>Returns rows deleted (the embedded store counts documents, which hold many facts each).</summary>
    public int DeleteApp(string app)
    {
        ArgumentNullException.ThrowIfNull(app);
        lock (_writeGate)
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            var deleted = 0;
            var lines = 0;
            foreach (var table in DayPartitions.Tables)
            {
                var rows = ExecuteForApp(connection, $"DELETE FROM {table} WHERE app = $1", app);
                deleted += rows;
                lines += table == "lines" ? rows : 0;
            }

            ExecuteForApp(connection, "DELETE FROM apps WHERE name = $1", app);
            transaction.Commit();
            _lineCount -= lines;
            return deleted;
        }
    }

    public AppRenameResult RenameApp(string app, string newName)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(newName);
        lock (_writeGate)
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            // Locks both names' rows (or their absence, under the writer's gate) until the rename commits.
            using var known = new NpgsqlCommand("SELECT name FROM apps WHERE name = ANY ($1) FOR UPDATE", connection)
            {
                Parameters = { new() { Value = new[] { app, newName } } },
            };
            var names = new HashSet<string>(StringComparer.Ordinal);
            using (var reader = known.ExecuteReader())
            {
                while (reader.Read())
                {
                    names.Add(reader.GetString(0));
                }
            }

            if (!names.Contains(app))
            {
                return AppRenameResult.UnknownApp;
            }

            if (names.Contains(newName))
            {
                return AppRenameResult.NameTaken;
            }

            foreach (var table in DayPartitions.Tables)
            {
                ExecuteForApp(connection, $"UPDATE {table} SET app = $2 WHERE app = $1", app, newName);
            }

            ExecuteForApp(connection, "UPDATE apps SET name = $2 WHERE name = $1", app, newName);
            transaction.Commit();
            return AppRenameResult.Renamed;
        }
    }

    private static int ExecuteForApp(NpgsqlConnection connection, string sql, params string[] values)
    {
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command.ExecuteNonQuery();
    }
}
