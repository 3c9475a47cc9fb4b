using DynoDashboard.Core.Live;
using DynoDashboard.Core.Query;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Ingestion.Demo;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Ingestion;

public static class IngestionRegistration
{
    /// <summary>The drain, its queue and the ingestion service; the demo fleet when <c>Demo:Enabled</c>.</summary>
    public static IServiceCollection AddDynoIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section)).ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .Configure(o => o.DatabaseUrl = configuration["DATABASE_URL"]) // Heroku Postgres sets it, outside any section
            .ValidateOnStart();
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IngestKey>();
        services.AddSingleton<RecentFrameIds>();
        if (configuration.GetValue($"{StorageOptions.Section}:{nameof(StorageOptions.JournalMaxBytes)}", new StorageOptions().JournalMaxBytes) > 0)
        {
            services.AddSingleton(sp =>
            {
                var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
                var journal = DrainJournal.Open(
                    Path.Combine(sp.GetRequiredService<Storage.DataFolderLock>().Folder, "journal"),
                    storage.JournalSegmentBytes, storage.JournalMaxBytes, storage.JournalSyncToDisk ? storage.FlushInterval : null,
                    // Unknown until history's store is reached (HistoryWriter attaches it then).
                    sp.GetRequiredService<Storage.HistoryConnection>().IsOpen
                        ? sp.GetRequiredService<Core.History.IHistoryStore>().ReadJournalCheckpoint()
                        : null,
                    sp.GetRequiredService<ILogger<DrainJournal>>());
                sp.GetRequiredService<Storage.StorageHealth>().RecordJournalDamage(journal.Damage,
                    sp.GetRequiredService<TimeProvider>().GetUtcNow());
                return journal;
            });
        }

        services.AddSingleton<DrainQueue>();
        services.AddSingleton<IngestionCounters>();
        services.AddHostedService<IngestionService>();
        services.AddHostedService<DrainCommandBanner>();

        if (configuration.GetValue<bool>($"{DemoOptions.Section}:{nameof(DemoOptions.Enabled)}"))
        {
            services.AddHostedService<DemoSimulator>();
        }

        return services;
    }

    /// <summary>The live per-dyno store and its change feed, sized by the <c>LiveStore</c> section.</summary>
    public static IServiceCollection AddDynoLiveStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveStoreOptions>().Bind(configuration.GetSection("LiveStore")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LiveStoreOptions>, LiveStoreOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LiveStore(
            sp.GetRequiredService<IOptions<LiveStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        // Log search reads the live buffer unless the history registers its own source (AddDynoHistory).
        services.TryAddSingleton<ILogLineSource>(sp => new LiveLogLineSource(sp.GetRequiredService<LiveStore>()));
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<LiveFeed>();
            return new LiveFeed(onCallbackError: ex => LiveFeedLog.CallbackFailed(logger, ex));
        });
        return services;
    }

    /// <summary><c>--demo</c> is a flag; the configuration system wants key=value.</summary>
    public static string[] TranslateDemoFlag(string[] args) =>
        [.. args.Select(a => a == "--demo" ? $"--{DemoOptions.Section}:{nameof(DemoOptions.Enabled)}=true" : a)];
}

internal static partial class LiveFeedLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A live-feed subscriber failed")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);
}
