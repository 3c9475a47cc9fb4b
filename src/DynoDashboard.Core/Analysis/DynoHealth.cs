using System.Globalization;
using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.Analysis;

/// <summary>Why a dyno deserves a look. Several can hold at once.</summary>
[Flags]
public enum DynoConcern
{
    None = 0,

    /// <summary>The latest sample shows swap in use: the dyno has outgrown its memory.</summary>
    Swapping = 1,

    /// <summary>RSS + swap above the quota: R14 territory.</summary>
    OverQuota = 2,

    /// <summary>At least <see cref="DynoHealth.ErrorThreshold"/> router errors attributed to the dyno in the last hour.</summary>
    Erroring = 4,

    /// <summary>The dyno manager says the dyno crashed.</summary>
    Crashed = 8,
}

/// <summary>A dyno's concerns and a short text that says them in words (never colour alone).</summary>
public sealed record DynoHealth(DynoConcern Concerns, string Summary)
{
    /// <summary>Swap below this is page-cache noise, not a dyno under memory pressure.</summary>
    public const double SwapThresholdMb = 1;

    /// <summary>One H18 in an hour is noise every dyno sees now and then; a few are a pattern worth a look.</summary>
    public const int ErrorThreshold = 3;

    public bool IsHealthy => Concerns == DynoConcern.None;

    public static DynoHealth Assess(DynoSnapshot dyno)
    {
        ArgumentNullException.ThrowIfNull(dyno);
        var concerns = DynoConcern.None;
        var parts = new List<string>();
        if (string.Equals(dyno.State, "crashed", StringComparison.OrdinalIgnoreCase))
        {
            concerns |= DynoConcern.Crashed;
            parts.Add("Crashed");
        }

        if (dyno.Latest is { } latest)
        {
            var swap = latest.MemorySwapMb;
            if (swap >= SwapThresholdMb)
            {
                concerns |= DynoConcern.Swapping;
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"Swapping {swap:0} MB"));
            }

            var used = latest.MemoryRssMb + (double.IsNaN(swap) ? 0 : swap);
            if (latest.MemoryQuotaMb > 0 && used > latest.MemoryQuotaMb)
            {
                concerns |= DynoConcern.OverQuota;
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"Over quota ({used:0} of {latest.MemoryQuotaMb:0} MB)"));
            }
        }

        if (dyno.ErrorsLastHour >= ErrorThreshold)
        {
            concerns |= DynoConcern.Erroring;
            parts.Add(ErrorText(dyno.ErrorsByCode));
        }

        return new DynoHealth(concerns, parts.Count == 0 ? "Healthy" : string.Join(" · ", parts));
    }

    /// <summary>"H12 ×14, H13 ×3", most frequent first.</summary>
    public static string ErrorText(IReadOnlyDictionary<string, int> errorsByCode)
    {
        ArgumentNullException.ThrowIfNull(errorsByCode);
        return string.Join(", ", errorsByCode
            .OrderByDescending(e => e.Value)
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} ×{e.Value}")));
    }
}
