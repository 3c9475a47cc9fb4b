using DynoDashboard.Core.Live;
using DynoDashboard.Web.Ingestion;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Configuration;

/// <summary>Validates <see cref="IngestOptions"/> at start-up and reports every problem at once, naming the setting.</summary>
public sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var errors = new SettingErrors();
        errors.InRange("Ingest:MaxBodyBytes", options.MaxBodyBytes, 1024, 64 * 1024 * 1024);
        errors.InRange("Ingest:QueueCapacity", options.QueueCapacity, 1, 100_000);
        errors.InRange("Ingest:RecentFrameIdsPerApp", options.RecentFrameIdsPerApp, 0, 1_000_000);
        errors.InRange("Ingest:ShedAtQueuePercent", options.ShedAtQueuePercent, 0, 100);
        errors.InRange("Ingest:RetryAfterSeconds", options.RetryAfterSeconds, 1, 3600);
        errors.InRange("Ingest:ParseWorkers", options.ParseWorkers, 0, 64);

        // The key itself is never echoed: only its shape is described.
        if (options.Key is { Length: > 0 } key && !IsKeyShaped(key))
        {
            errors.Add("Ingest:Key must be at least 16 characters with no spaces and no ':' (it is the password of the drain URL).");
        }

        foreach (var (app, settings) in options.Apps)
        {
            if (!AppName.IsValid(app))
            {
                errors.Add($"Ingest:Apps:{app} is not a Heroku app name (1-64 lowercase letters, digits and dashes).");
            }

            if (settings.Key is not { Length: > 0 } appKey || !IsKeyShaped(appKey))
            {
                errors.Add($"Ingest:Apps:{app}:Key must be at least 16 characters with no spaces and no ':' (it is the password of that app's drain URL).");
            }
        }

        return errors.Result();
    }

    private static bool IsKeyShaped(string key) =>
        key.Length >= 16 && !key.Any(char.IsWhiteSpace) && !key.Contains(':', StringComparison.Ordinal);
}

/// <summary>Validates <see cref="DemoOptions"/>.</summary>
public sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        var errors = new SettingErrors();
        if (!AppName.IsValid(options.App))
        {
            errors.Add($"Demo:App must be 1-64 lowercase letters, digits and dashes; it is '{options.App}'.");
        }

        if (options.Speed is <= 0 or > 10_000 || double.IsNaN(options.Speed))
        {
            errors.Add($"Demo:Speed must be above 0 and at most 10000; it is {options.Speed}.");
        }

        errors.InRange("Demo:BackfillMinutes", options.BackfillMinutes, 0, 24 * 60);

        return errors.Result();
    }
}

/// <summary>Validates <see cref="StorageOptions"/>.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new SettingErrors();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add("Storage:Path must name the database file, e.g. data/dynodash.db.");
        }

        if (options.FlushInterval < TimeSpan.FromMilliseconds(10) || options.FlushInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Storage:FlushInterval must be between 00:00:00.010 and 00:01:00; it is {options.FlushInterval:c}.");
        }

        if (options.MinFreeBytes < 0)
        {
            errors.Add($"Storage:MinFreeBytes must be 0 (no floor) or more; it is {options.MinFreeBytes}.");
        }

        if (options.FreeSpaceCheckInterval < TimeSpan.FromMilliseconds(10) || options.FreeSpaceCheckInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Storage:FreeSpaceCheckInterval must be between 00:00:00.010 and 00:10:00; it is {options.FreeSpaceCheckInterval:c}.");
        }

        errors.InRange("Storage:FlushFacts", options.FlushFacts, 1, 1_000_000);
        errors.InRange("Storage:QueueCapacity", options.QueueCapacity, 1, 1_000_000);
        errors.InRange("Storage:QueueFacts", options.QueueFacts, 1, 10_000_000);
        errors.InRange("Storage:RetentionDays", options.RetentionDays, 1, 3650);
        errors.InRange("Storage:MaxLogLines", options.MaxLogLines, 1, 100_000_000);
        errors.InRange("Storage:MaxLogLinesPerApp", options.MaxLogLinesPerApp, 1, 100_000_000);
        foreach (var (app, budget) in options.Apps)
        {
            if (!AppName.IsValid(app))
            {
                errors.Add($"Storage:Apps:{app} is not a Heroku app name (1-64 lowercase letters, digits and dashes).");
            }

            if (budget.RetentionDays is null && budget.MaxLogLines is null)
            {
                errors.Add($"Storage:Apps:{app} sets neither RetentionDays nor MaxLogLines.");
            }

            if (budget.RetentionDays is { } days)
            {
                errors.InRange($"Storage:Apps:{app}:RetentionDays", days, 1, 3650);
            }

            if (budget.MaxLogLines is { } lines)
            {
                errors.InRange($"Storage:Apps:{app}:MaxLogLines", lines, 1, 100_000_000);
            }
        }

        if (options.EffectiveProvider == HistoryProvider.Postgres)
        {
            ValidatePostgres(options, errors);
        }

        if (options.JournalMaxBytes != 0 && options.JournalMaxBytes < options.JournalSegmentBytes)
        {
            errors.Add($"Storage:JournalMaxBytes must be 0 (no journal) or at least Storage:JournalSegmentBytes ({options.JournalSegmentBytes}); it is {options.JournalMaxBytes}.");
        }

        if (options.JournalSegmentBytes < 64 * 1024 || options.JournalSegmentBytes > 1L << 30)
        {
            errors.Add($"Storage:JournalSegmentBytes must be between 65536 and 1073741824; it is {options.JournalSegmentBytes}.");
        }

        return errors.Result();
    }

    /// <summary>A connection string that Npgsql can read; messages name the setting, never its value (it holds the
    /// password).</summary>
    private static void ValidatePostgres(StorageOptions options, SettingErrors errors)
    {
        if (string.IsNullOrWhiteSpace(options.Postgres) && string.IsNullOrWhiteSpace(options.DatabaseUrl))
        {
            errors.Add("Storage:Provider is Postgres but neither Storage:Postgres (an Npgsql connection string) nor DATABASE_URL is set.");
            return;
        }

        try
        {
            _ = global::DynoDashboard.Postgres.DatabaseUrl.Describe(options.PostgresConnectionString());
        }
        catch (FormatException ex)
        {
            errors.Add(ex.Message);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"Storage:Postgres is {ex.Message}.");
        }
    }
}

/// <summary>Validates the live store's capacities (<c>LiveStore</c> section) through the store's own rules.</summary>
public sealed class LiveStoreOptionsValidator : IValidateOptions<LiveStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveStoreOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
