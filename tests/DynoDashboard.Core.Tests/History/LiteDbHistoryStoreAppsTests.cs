using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Tests.Live;
using static DynoDashboard.Core.Tests.History.LiteDbHistoryStoreTests;

namespace DynoDashboard.Core.Tests.History;

public sealed class LiteDbHistoryStoreAppsTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private static readonly DynoName s_web1 = new("web.1");
    private readonly TempHistoryFile _file = new();

    private static HistoryBatch Traffic(string app) => Batch(app, b =>
    {
        TestLines.Load(b, s_t0, "web.1", 0.5);
        TestLines.Router(b, s_t0, "web.1");
    });

    [Fact]
    public void RenameApp_MovesSamplesAndSurvivesReopen_AndLaterWritesContinueUnderTheNewName()
    {
        using (var store = _file.Open())
        {
            store.Write([Traffic("old")]);

            Assert.Equal(AppRenameResult.Renamed, store.RenameApp("old", "new"));
            store.Write([Batch("new", b => TestLines.Load(b, s_t0.AddSeconds(20), "web.1", 0.7))]);
        }

        using var reopened = _file.Open();
        Assert.Equal(["new"], reopened.GetApps());
        Assert.False(reopened.HasDyno("old", s_web1));
        var points = reopened.GetSeries("new", s_web1, RuntimeMetric.LoadAvg1m, s_t0.AddMinutes(-1), s_t0.AddMinutes(1));
        Assert.Equal([0.5, 0.7], points.Select(p => p.V));
    }

    [Fact]
    public void RenameApp_UnknownOrTaken_ChangesNothing()
    {
        using var store = _file.Open();
        store.Write([Traffic("a"), Traffic("b")]);

        Assert.Equal(AppRenameResult.UnknownApp, store.RenameApp("nope", "c"));
        Assert.Equal(AppRenameResult.NameTaken, store.RenameApp("a", "b"));
        Assert.True(store.HasDyno("a", s_web1));
        Assert.True(store.HasDyno("b", s_web1));
    }

    [Fact]
    public void DeleteApp_RemovesOnlyThatApp()
    {
        using var store = _file.Open();
        store.Write([Traffic("gone"), Traffic("kept")]);

        Assert.True(store.DeleteApp("gone") > 0);

        Assert.Equal(["kept"], store.GetApps());
        Assert.False(store.HasDyno("gone", s_web1));
        Assert.True(store.HasDyno("kept", s_web1));
    }

    public void Dispose() => _file.Dispose();
}
