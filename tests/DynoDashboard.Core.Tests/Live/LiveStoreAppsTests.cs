using DynoDashboard.Core.Live;
using static DynoDashboard.Core.Tests.Live.TestLines;

namespace DynoDashboard.Core.Tests.Live;

public sealed class LiveStoreAppsTests
{
    [Fact]
    public void RenameApp_KnownApp_MovesDynosToTheNewName()
    {
        var store = new LiveStore(new LiveStoreOptions());
        Router(store.GetWriter("old-shop"), T0, "web.1");

        var result = store.RenameApp("old-shop", "shop");

        Assert.Equal(AppRenameResult.Renamed, result);
        Assert.Null(store.GetDynos("old-shop"));
        Assert.Equal("web.1", Assert.Single(store.GetDynos("shop")!).Name.Value);
        Assert.Equal("shop", Assert.Single(store.GetApps()).Name);
    }

    [Fact]
    public void RenameApp_NameTaken_RefusesAndKeepsBoth()
    {
        var store = new LiveStore(new LiveStoreOptions());
        Router(store.GetWriter("a"), T0, "web.1");
        Router(store.GetWriter("b"), T0, "web.2");

        Assert.Equal(AppRenameResult.NameTaken, store.RenameApp("a", "b"));
        Assert.Equal(AppRenameResult.UnknownApp, store.RenameApp("nope", "c"));
        Assert.Equal(["a", "b"], store.GetApps().Select(a => a.Name));
    }

    [Fact]
    public void RemoveApp_KnownApp_ForgetsIt_UnknownReturnsFalse()
    {
        var store = new LiveStore(new LiveStoreOptions());
        Router(store.GetWriter("a"), T0, "web.1");

        Assert.True(store.RemoveApp("a"));
        Assert.False(store.RemoveApp("a"));
        Assert.Null(store.GetDynos("a"));
        Assert.Empty(store.GetApps());
    }
}
