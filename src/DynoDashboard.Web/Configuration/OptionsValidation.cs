using DynoDashboard.Core.Live;
using DynoDashboard.Web.Ingestion;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Configuration;

/// <summary>Validates <see cref="IngestOptions"/> at start-up and reports every problem at once, naming the setting.</summary>
public sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var errors = new List<string>();
        if (options.MaxBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            errors.Add($"Ingest:MaxBodyBytes must be between 1024 and 67108864 (64 MiB); it is {options.MaxBodyBytes}.");
        }

        if (options.QueueCapacity is < 1 or > 100_000)
        {
            errors.Add($"Ingest:QueueCapacity must be between 1 and 100000; it is {options.QueueCapacity}.");
        }

        if (options.RecentFrameIdsPerApp is < 0 or > 1_000_000)
        {
            errors.Add($"Ingest:RecentFrameIdsPerApp must be between 0 and 1000000; it is {options.RecentFrameIdsPerApp}.");
        }

        if (options.RetryAfterSeconds is < 1 or > 3600)
        {
            errors.Add($"Ingest:RetryAfterSeconds must be between 1 and 3600; it is {options.RetryAfterSeconds}.");
        }

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

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsKeyShaped(string key) =>
        key.Length >= 16 && !key.Any(char.IsWhiteSpace) && !key.Contains(':', StringComparison.Ordinal);
}

/// <summary>Validates <see cref="DemoOptions"/>.</summary>
public sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        var errors = new List<string>();
        if (!AppName.IsValid(options.App))
        {
            errors.Add($"Demo:App must be 1-64 lowercase letters, digits and dashes; it is '{options.App}'.");
        }

        if (options.Speed is <= 0 or > 10_000 || double.IsNaN(options.Speed))
        {
            errors.Add($"Demo:Speed must be above 0 and at most 10000; it is {options.Speed}.");
        }

        if (options.BackfillMinutes is < 0 or > 24 * 60 || double.IsNaN(options.BackfillMinutes))
        {
            errors.Add($"Demo:BackfillMinutes must be between 0 and 1440; it is {options.BackfillMinutes}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Validates <see cref="StorageOptions"/>.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add("Storage:Path must name the database file, e.g. data/dynodash.db.");
        }

        if (options.FlushInterval < TimeSpan.FromMilliseconds(10) || options.FlushInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Storage:FlushInterval must be between 00:00:00.010 and 00:01:00; it is {options.FlushInterval:c}.");
        }

        if (options.FlushFacts is < 1 or > 1_000_000)
        {
            errors.Add($"Storage:FlushFacts must be between 1 and 1000000; it is {options.FlushFacts}.");
        }

        if (options.QueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"Storage:QueueCapacity must be between 1 and 1000000; it is {options.QueueCapacity}.");
        }

        if (options.QueueFacts is < 1 or > 10_000_000)
        {
            errors.Add($"Storage:QueueFacts must be between 1 and 10000000; it is {options.QueueFacts}.");
        }

        if (options.RetentionDays is < 1 or > 3650)
        {
            errors.Add($"Storage:RetentionDays must be between 1 and 3650; it is {options.RetentionDays}.");
        }

        if (options.MaxLogLines is < 1 or > 100_000_000)
        {
            errors.Add($"Storage:MaxLogLines must be between 1 and 100000000; it is {options.MaxLogLines}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
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
