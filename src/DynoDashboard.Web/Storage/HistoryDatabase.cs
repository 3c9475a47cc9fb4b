using System.Net.Sockets;
using DynoDashboard.Postgres;
using DynoDashboard.Web.Configuration;
using Npgsql;

namespace DynoDashboard.Web.Storage;

/// <summary>
/// Opens the PostgreSQL history (<c>Storage:Provider=Postgres</c>, or <c>DATABASE_URL</c> alone): connects, applies
/// the schema's migrations and says in one line which database it is on. Every message names host, port and database,
/// never the user or password.
/// </summary>
public sealed partial class HistoryDatabase(StorageOptions options, ILogger<HistoryDatabase> logger)
{
    private readonly string _connectionString = options.PostgresConnectionString();

    /// <summary>postgresql://host:port/database.</summary>
    public string Description => DatabaseUrl.Describe(_connectionString);

    /// <exception cref="HistoryDatabaseUnreachableException">The server cannot be reached, refuses the login, or
    /// holds a schema newer than this build's.</exception>
    public PostgresHistoryStore Open()
    {
        try
        {
            var store = new PostgresHistoryStore(_connectionString, options.MaxLogLines) { RetentionDays = options.RetentionDays };
            LogOpened(logger, store.Description, store.SchemaVersionFound, PostgresHistoryStore.SchemaVersion);
            return store;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or HistorySchemaTooNewException)
        {
            var reason = ex.InnerException is SocketException socket ? $"{ex.Message} ({socket.Message})" : ex.Message;
            LogUnreachable(logger, Description, reason);
            throw new HistoryDatabaseUnreachableException(Description, reason, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "History on PostgreSQL at {Database} (schema version {Found} found, {Version} now)")]
    private static partial void LogOpened(ILogger logger, string database, int found, int version);

    [LoggerMessage(Level = LogLevel.Error, Message = "History database {Database} cannot be used: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string database, string reason);
}

/// <summary>The history database could not be opened; the message names it (host, port, database) and why.</summary>
public sealed class HistoryDatabaseUnreachableException(string database, string reason, Exception inner)
    : Exception($"History database {database} cannot be used: {reason}", inner);
