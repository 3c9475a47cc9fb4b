namespace DynoDashboard.Web.Storage;

public static class StorageRegistration
{
    /// <summary>The data folder's watchers: free space against <c>Storage:MinFreeBytes</c>.</summary>
    public static IServiceCollection AddDynoStorage(this IServiceCollection services)
    {
        services.AddSingleton<FreeSpaceWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<FreeSpaceWatch>());
        return services;
    }
}
