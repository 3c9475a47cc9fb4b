using System.Net;
using System.Net.Http.Json;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Storage;

/// <summary>The free-space floor on a real small filesystem: under <c>Storage:MinFreeBytes</c> the drain refuses with
/// 503 (so nothing is acknowledged that may not fit), says so on /api/status and /metrics, keeps serving, and takes
/// batches again by itself once space returns.</summary>
public sealed class FreeSpaceFloorTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    [SmallDiskFact]
    public async Task DiskUnderTheFloor_DrainAnswers503AndSaysWhy_ResumesByItselfWhenSpaceReturns()
    {
        using var disk = SmallDisk.Mount();
        using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["Storage:MinFreeBytes"] = (4 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Storage:FreeSpaceCheckInterval"] = "00:00:00.050",
        }, dataFolder: disk.Path);
        using var drain = factory.CreateDrainClient();
        using var api = factory.CreateClient();
        var stream = new ReadingStream("floorapp");
        await stream.PostNextAsync(drain);
        var watch = factory.Services.GetRequiredService<FreeSpaceWatch>();
        Assert.False(watch.IsLow);

        await UntilAsync(watch, low: true, () => disk.Fill(leaveFreeBytes: 2 * 1024 * 1024));

        var refused = stream.TakeNext();
        using (var request = new LogplexBody().Router(stream.Start, "web.1").ToRequest("floorapp"))
        using (var response = await drain.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains("Disk space low", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var status = await api.GetFromJsonAsync<IngestionStatus>("/api/status");
        Assert.True(status!.Disk!.Low);
        Assert.True(status.Disk.FreeBytes < status.Disk.MinFreeBytes);
        Assert.NotNull(status.Disk.LowSince);
        Assert.True(status.Rejections.Storage >= 1);
        Assert.Contains(status.Storage!.Conditions, c => c.Kind == StorageConditionKinds.DiskLow && c.Blocking);
        Assert.Contains("dynodashboard_storage{counter=\"disk_low\"} 1", await api.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
        using (var health = await api.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode); // pages and the API keep answering
        }

        await UntilAsync(watch, low: false, disk.Free);

        using var retry = new CancellationTokenSource(s_patience);
        await stream.PostUntilAcceptedAsync(drain, refused, retry.Token);
        var after = await api.GetFromJsonAsync<IngestionStatus>("/api/status");
        Assert.False(after!.Disk!.Low);
        Assert.DoesNotContain(after.Storage!.Conditions, c => c.Kind == StorageConditionKinds.DiskLow);
        Assert.Contains("dynodashboard_storage{counter=\"disk_low\"} 0", await api.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }

    /// <summary>Does <paramref name="act"/> and waits for the watch to see the disk go low (or back).</summary>
    private static async Task UntilAsync(FreeSpaceWatch watch, bool low, Action act)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged()
        {
            if (watch.IsLow == low)
            {
                changed.TrySetResult();
            }
        }

        watch.Changed += OnChanged;
        try
        {
            act();
            OnChanged(); // already seen
            await changed.Task.WaitAsync(s_patience);
        }
        finally
        {
            watch.Changed -= OnChanged;
        }
    }
}
