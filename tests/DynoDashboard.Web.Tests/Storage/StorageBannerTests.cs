using Bunit;
using DynoDashboard.Web.Components.Layout;
using DynoDashboard.Web.Tests.Components;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Tests.Storage;

/// <summary>The storage banner in the main layout shows what <see cref="StorageHealth"/> holds and follows it while the
/// page is open: recoveries since start, and conditions (disk low from the real <see cref="FreeSpaceWatch"/>, history
/// writes failing) while they last.</summary>
public sealed class StorageBannerTests : DashboardTestContext
{
    public StorageBannerTests() => SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    [Fact]
    public void Render_NothingWrong_ShowsNoBanner()
    {
        var cut = Render<MainLayout>();

        Assert.Empty(cut.FindAll(".storage-banner"));
    }

    [Fact]
    public void Render_AfterARecoveryAtStart_ShowsTheDamagedFileWhereItWentAndWhatWasLost()
    {
        Storage.Record(new StorageEvent(DateTimeOffset.UtcNow, StorageEventKinds.HistoryReplaced, "/data/dynodash.db",
            "/data/dynodash.db.damaged-20260101T000000Z", "all history stored before now is left in the damaged file"));

        var cut = Render<MainLayout>();

        var shown = cut.Find(".storage-event");
        Assert.Equal(StorageEventKinds.HistoryReplaced, shown.GetAttribute("data-kind"));
        Assert.Contains("/data/dynodash.db", shown.TextContent, StringComparison.Ordinal);
        Assert.Contains("/data/dynodash.db.damaged-20260101T000000Z", shown.TextContent, StringComparison.Ordinal);
        Assert.Contains("left in the damaged file", shown.TextContent, StringComparison.Ordinal);

        cut.Find(".storage-event .mud-alert-close button").Click(); // seen: closed for this page
        Assert.Empty(cut.FindAll(".storage-event"));
    }

    [Fact]
    public async Task ConditionSetAndClearedOnAnotherThread_OpenBannerFollows()
    {
        var cut = Render<StorageBanner>();
        Assert.Empty(cut.FindAll(".storage-condition"));

        // The history writer sets and clears it on its own thread.
        await Task.Run(() => Storage.Set(new StorageCondition(StorageConditionKinds.HistoryFailing,
            "History writes are failing and being retried", DateTimeOffset.UtcNow, Blocking: false)));
        cut.WaitForAssertion(() => Assert.Contains("being retried", cut.Find($".storage-condition[data-kind={StorageConditionKinds.HistoryFailing}]").TextContent, StringComparison.Ordinal));
        Assert.Contains("mud-alert-text-warning", cut.Find(".storage-condition").ClassList);

        await Task.Run(() => Storage.Clear(StorageConditionKinds.HistoryFailing));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".storage-condition")));
    }

    [Fact]
    public void FreeSpaceWatch_UnderTheFloor_BannerSaysTheDrainRefusesBatches_AndClearsWhenSpaceReturns()
    {
        var folder = DashboardFactory.NewDataFolder();
        try
        {
            // A floor no disk meets: the real watch, on a real folder, finds space low at once.
            var options = new StorageOptions { Path = Path.Combine(folder, "dynodash.db"), MinFreeBytes = long.MaxValue };
            var watch = new FreeSpaceWatch(Options.Create(options), new HostingEnvironment { ContentRootPath = folder },
                TimeProvider.System, NullLogger<FreeSpaceWatch>.Instance, Storage);
            Assert.True(watch.IsLow);

            var cut = Render<MainLayout>();

            var shown = cut.Find($".storage-condition[data-kind={StorageConditionKinds.DiskLow}]");
            Assert.Contains("mud-alert-text-error", shown.ClassList);
            Assert.Contains("the drain refuses new batches", shown.TextContent, StringComparison.Ordinal);

            options.MinFreeBytes = 0;
            watch.Check();
            cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".storage-condition")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
