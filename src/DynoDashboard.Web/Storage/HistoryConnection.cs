using System.Net.Sockets;
using DynoDashboard.Core.History;
using DynoDashboard.Postgres;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace DynoDashboard.Web.Storage;

/// <summary>
/// Whether history's store has been reached since start. A LiteDB file is open before anything runs; a PostgreSQL
/// database may not be up yet when the app starts (a Heroku dyno can boot before its database), so the app starts
/// anyway: pages are served, <c>/healthz</c> says not ready, the drain answers 503 (Logplex keeps the batches) and
/// <see cref="HistoryConnector"/> retries until the database answers.
/// </summary>
public sealed class HistoryConnection
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _lastError;

    public HistoryConnection(string description, bool open)
    {
        Description = description;
        if (open)
        {
            _opened.SetResult();
        }
    }

    /// <summary>Where history is: the LiteDB file or postgresql://host:port/database (never a password).</summary>
    public string Description { get; }

    public bool IsOpen => _opened.Task.IsCompleted;

    /// <summary>Completes when the store has been reached.</summary>
    public Task WhenOpen => _opened.Task;

    /// <summary>Why the last attempt failed, while not open.</summary>
    public string? LastError => _lastError;

    internal void Opened() => _opened.TrySetResult();

    internal void Failed(string reason) => _lastError = reason;
}

/// <summary>
/// Connects the PostgreSQL store after start, retrying with back-off (1 s doubling to 30 s), in the background: the
/// host's start (and Kestrel's, which comes after the hosted services') does not wait for it, and the history
/// writer and ingestion wait for <see cref="HistoryConnection.WhenOpen"/> instead. Nothing to do for LiteDB.
/// </summary>
public sealed partial class HistoryConnector(HistoryConnection connection, IHistoryStore store, TimeProvider time,
    ILogger<HistoryConnector> logger) : BackgroundService
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (connection.IsOpen || store is not PostgresHistoryStore database)
        {
            return;
        }

        var delay = s_firstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                database.Connect(); // a schema newer than this build's is not retried: the start fails with its message
                connection.Opened();
                LogOpened(logger, database.Description, database.SchemaVersionFound, PostgresHistoryStore.SchemaVersion, attempt);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
            {
                var reason = ex.InnerException is SocketException socket ? $"{ex.Message} ({socket.Message})" : ex.Message;
                connection.Failed(reason);
                LogUnreachable(logger, database.Description, reason, attempt, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return; // stopping
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetry.Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "History on PostgreSQL at {Database} (schema version {Found} found, {Version} now; attempt {Attempt})")]
    private static partial void LogOpened(ILogger logger, string database, int found, int version, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "History database {Database} cannot be reached: {Reason} (attempt {Attempt}); the drain answers 503 and /healthz says not ready until it can; retrying in {Seconds} s")]
    private static partial void LogUnreachable(ILogger logger, string database, string reason, int attempt, double seconds);
}

/// <summary><c>/healthz</c>: not ready while history's store has not been reached.</summary>
public sealed class HistoryConnectionHealthCheck(HistoryConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsOpen
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"History database {connection.Description} not reached yet: {connection.LastError ?? "connecting"}"));
}
