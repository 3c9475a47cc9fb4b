using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.Tests.Live;

public sealed class LiveStoreOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        var options = new LiveStoreOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(4_320, options.RuntimeSamplesPerDyno);
        Assert.Equal(360, options.RollupBucketsPerDyno);
        Assert.Equal(10, LiveStoreOptions.RollupBucketSeconds);
    }

    [Fact]
    public void Validate_SeveralBadSettings_ReportsEachByName()
    {
        var options = new LiveStoreOptions
        {
            RuntimeSamplesPerDyno = 0,
            RollupBucketsPerDyno = -1,
            EventsPerApp = 0,
            RecentLinesPerApp = 0,
            MaxDynosPerApp = 0,
            MaxApps = 0,
        };

        var errors = options.Validate();

        Assert.Equal(6, errors.Count);
        Assert.Contains("LiveStore:RuntimeSamplesPerDyno must be > 0 (was 0).", errors);
        Assert.Contains("LiveStore:RollupBucketsPerDyno must be > 0 (was -1).", errors);
        Assert.Contains(errors, e => e.StartsWith("LiveStore:MaxApps", StringComparison.Ordinal));
    }
}
