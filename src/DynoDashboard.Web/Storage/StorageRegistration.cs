using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Ingestion;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Storage;

public static class StorageRegistration
{
    /// <summary>The data folder's lock (one process per folder), what the operator must know about its files
    /// (<see cref="StorageHealth"/>) and its watchers: free space against <c>Storage:MinFreeBytes</c>.</summary>
    public static IServiceCollection AddDynoStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp => new DataFolderLock(
            DataFolder.Resolve(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<StorageHealth>();
        services.AddSingleton<FreeSpaceWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<FreeSpaceWatch>());
        return services;
    }
}
