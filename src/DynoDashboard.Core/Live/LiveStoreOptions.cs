namespace DynoDashboard.Core.Live;

/// <summary>
/// Capacities of the <see cref="LiveStore"/>. A plain class (Core has no options package): the web host
/// binds it from the <c>LiveStore</c> section and calls <see cref="Validate"/> from an <c>IValidateOptions</c>.
/// Every buffer grows on demand up to these limits, so quiet apps and one-off dynos cost little.
/// </summary>
public sealed class LiveStoreOptions
{
    public const string SectionName = "LiveStore";

    /// <summary>Router rollup width. Fixed: history, charts and the "last hour" maths assume it.</summary>
    public const int RollupBucketSeconds = 10;

    /// <summary>4,320 samples = 24 h at log-runtime-metrics' one sample per 20 s (~450 KB per dyno when full).</summary>
    public int RuntimeSamplesPerDyno { get; set; } = 4_320;

    /// <summary>360 buckets of 10 s = the last hour of router traffic per dyno.</summary>
    public int RollupBucketsPerDyno { get; set; } = 360;

    /// <summary>5,000 errors and lifecycle facts per app: days of a healthy app, hours of a crash loop.</summary>
    public int EventsPerApp { get; set; } = 5_000;

    /// <summary>20,000 lines per app: ~3 min of a 100-req/s app with its runtime metrics (a few MB).</summary>
    public int RecentLinesPerApp { get; set; } = 20_000;

    /// <summary>500 dynos per app: far above normal formations; also bounds churn from one-off <c>run.N</c> dynos.</summary>
    public int MaxDynosPerApp { get; set; } = 500;

    /// <summary>50 apps: one team's apps on one instance (see ARCHITECTURE.md, scale-out).</summary>
    public int MaxApps { get; set; } = 50;

    /// <summary>Every problem at once, each naming its setting; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Positive(errors, RuntimeSamplesPerDyno, nameof(RuntimeSamplesPerDyno));
        Positive(errors, RollupBucketsPerDyno, nameof(RollupBucketsPerDyno));
        Positive(errors, EventsPerApp, nameof(EventsPerApp));
        Positive(errors, RecentLinesPerApp, nameof(RecentLinesPerApp));
        Positive(errors, MaxDynosPerApp, nameof(MaxDynosPerApp));
        Positive(errors, MaxApps, nameof(MaxApps));
        return errors;
    }

    private static void Positive(List<string> errors, int value, string name)
    {
        if (value <= 0)
        {
            errors.Add($"{SectionName}:{name} must be > 0 (was {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        }
    }
}
