using DynoDashboard.Core.History;
using DynoDashboard.Core.Tests.History.Postgres;
using DynoDashboard.Postgres;
using DynoDashboard.TestServers;

namespace DynoDashboard.Core.Tests.History;

/// <summary>The contract on the embedded store: a LiteDB file of its own per test.</summary>
public sealed class LiteDbHistoryStoreContractTests : HistoryStoreContract<LiteDbHistoryStore>, IDisposable
{
    private readonly TempHistoryFile _file = new();

    protected override LiteDbHistoryStore CreateStore(int maxLogLines = 100_000) => _file.Open(maxLogLines);

    public void Dispose() => _file.Dispose();
}

/// <summary>The contract on the store the web app holds: LiteDB behind the reopen-after-failure wrapper.</summary>
public sealed class ReopeningHistoryStoreContractTests : HistoryStoreContract<ReopeningHistoryStore>, IDisposable
{
    private readonly TempHistoryFile _file = new();

    protected override ReopeningHistoryStore CreateStore(int maxLogLines = 100_000) => new(() => _file.Open(maxLogLines));

    public void Dispose() => _file.Dispose();
}

/// <summary>The contract on PostgreSQL: a database of its own per test in the run's throw-away cluster.</summary>
[UsesPostgres]
[Collection(PostgresClusterGroup.Name)]
public sealed class PostgresHistoryStoreContractTests(PostgresCluster cluster) : HistoryStoreContract<PostgresHistoryStore>
{
    private readonly Lazy<string> _database = new(cluster.CreateDatabase);

    protected override PostgresHistoryStore CreateStore(int maxLogLines = 100_000) => new(_database.Value, maxLogLines);
}
