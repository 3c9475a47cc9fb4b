using DynoDashboard.Postgres;
using DynoDashboard.Web.Configuration;

namespace DynoDashboard.Web.Storage;

/// <summary>
/// The PostgreSQL history (<c>Storage:Provider=Postgres</c>, or <c>DATABASE_URL</c> alone), created without connecting:
/// <see cref="HistoryConnector"/> connects and migrates it at start, retrying until the server answers. Messages name
/// host, port and database, never the user or password.
/// </summary>
public static class HistoryDatabase
{
    public static PostgresHistoryStore Create(StorageOptions options) =>
        new(options.PostgresConnectionString(), options.MaxLogLines, connect: false) { RetentionDays = options.RetentionDays };

    /// <summary>postgresql://host:port/database.</summary>
    public static string Describe(StorageOptions options) => DatabaseUrl.Describe(options.PostgresConnectionString());
}
