using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Query;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.History;

public static class HistoryRegistration
{
    /// <summary>
    /// The history store chosen by <c>Storage:Provider</c> (LiteDB in the data folder, or PostgreSQL; one instance: a
    /// singleton), its writer and the timeline queries. Call it before
    /// <c>AddDynoIngestion</c>: hosted services stop in reverse order, so ingestion stops before the writer's final flush.
    /// </summary>
    public static IServiceCollection AddDynoHistory(this IServiceCollection services)
    {
        services.AddSingleton<IHistoryStore>(sp =>
        {
            // The folder is this process's before any file in it is opened (a second instance stops here): the journal
            // and the ingest key live there whichever store holds history.
            var folder = sp.GetRequiredService<DataFolderLock>().Folder;
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (storage.EffectiveProvider == HistoryProvider.Postgres)
            {
                return HistoryDatabase.Create(storage); // connected at start by HistoryConnector
            }

            var file = new HistoryFile(Path.Combine(folder, Path.GetFileName(storage.Path)), storage.Budgets(),
                sp.GetRequiredService<StorageHealth>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<HistoryFile>>());
            // The first open recovers a damaged file; later ones reopen it after a failed write, since a LiteDB engine
            // that hit a full disk is unusable even once space returns.
            return new ReopeningHistoryStore(file.Open);
        });
        // The operations log lives in the same file or database, so it is the history store itself.
        services.AddSingleton<IOperationsLog>(sp => sp.GetRequiredService<IHistoryStore>() as IOperationsLog ?? new MemoryOperationsLog());
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return storage.EffectiveProvider == HistoryProvider.Postgres
                ? new HistoryConnection(HistoryDatabase.Describe(storage), open: false)
                : new HistoryConnection(storage.Path, open: true);
        });
        // Reaches a database that is not up yet in the background; the writer and ingestion wait for it.
        services.AddHostedService<HistoryConnector>();
        services.AddHealthChecks().AddCheck<HistoryConnectionHealthCheck>("history");
        services.AddSingleton<HistoryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<HistoryWriter>());
        services.AddSingleton(sp => new DynoTimeline(
            sp.GetRequiredService<LiveStore>(),
            sp.GetRequiredService<IHistoryStore>(),
            sp.GetRequiredService<IOptions<LiveStoreOptions>>().Value));
        // Search covers history too: replaces the live-only source whichever registration came first.
        services.Replace(ServiceDescriptor.Singleton<ILogLineSource>(sp =>
            new HistoryLogLineSource(sp.GetRequiredService<LiveStore>(), sp.GetRequiredService<IHistoryStore>())));
        return services;
    }
}
