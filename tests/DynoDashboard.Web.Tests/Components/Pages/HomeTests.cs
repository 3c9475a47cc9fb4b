using Bunit;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Web.Api;
using DynoDashboard.Web.Components.Pages;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace DynoDashboard.Web.Tests.Components.Pages;

public sealed class HomeTests : DashboardTestContext
{
    private readonly string _folder = DashboardFactory.NewDataFolder();
    private readonly LiteDbHistoryStore _history;

    public HomeTests()
    {
        Directory.CreateDirectory(_folder);
        _history = new LiteDbHistoryStore(Path.Combine(_folder, "home.db"), 1000);
        Services.AddSingleton(new InsightBoard());
        Services.AddSingleton(new AppAdmin(Store, _history, new HistoryWriter(_history, Store, Options.Create(new LiveStoreOptions()),
            Options.Create(new StorageOptions()), TimeProvider.System, NullLogger<HistoryWriter>.Instance), Feed));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _history.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Render_TwoApps_ShowsDynosAndHealthPerApp()
    {
        IngestFleet("shop");
        Ingest("api", new LogplexBody().Runtime(T0, "web.1", 0.2, 400, swapMb: 50).Router(T0, "web.1", 503, code: "H12", desc: "Request timeout"));

        var cut = Render<Home>();

        var health = cut.FindAll(".app-health").Select(h => h.TextContent.Trim()).ToList();
        Assert.Contains("1 swapping", health[0], StringComparison.Ordinal);
        Assert.Contains("1 error in the last hour", health[0], StringComparison.Ordinal);
        Assert.Equal("1", cut.FindAll(".app-dynos")[0].TextContent.Trim());
    }

    [Fact]
    public void Delete_Confirmed_RemovesTheApp()
    {
        IngestFleet("shop");
        IngestFleet("api");
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Home>();

        cut.FindAll(".app-delete")[0].Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete api and all its history", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        cut.WaitForAssertion(() => Assert.Equal(["apps/shop"], cut.FindAll("a.app-name").Select(a => a.GetAttribute("href"))));
        Assert.Null(Store.GetDynos("api"));
    }

    [Fact]
    public void Delete_Cancelled_KeepsTheApp()
    {
        IngestFleet("shop");
        IngestFleet("api");
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Home>();

        cut.FindAll(".app-delete")[0].Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete api", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        cut.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.NotNull(Store.GetDynos("api"));
    }

    [Fact]
    public void Rename_Confirmed_ListsTheNewName()
    {
        IngestFleet("shop");
        IngestFleet("api");
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Home>();

        cut.FindAll(".app-rename")[0].Click();
        cut.Find(".app-new-name input").Input("public-api");
        cut.Find(".app-rename-save").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Rename api to public-api", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Rename").Click();

        cut.WaitForAssertion(() => Assert.Equal(["apps/public-api", "apps/shop"], cut.FindAll("a.app-name").Select(a => a.GetAttribute("href"))));
    }
    [Fact]
    public void Render_NoApps_SaysHowToStart() =>
        Assert.Contains("No logs yet", Render<Home>().Find(".mud-alert").TextContent, StringComparison.Ordinal);

    [Fact]
    public void Render_OneApp_GoesStraightToIt()
    {
        IngestFleet("shop");

        Render<Home>();

        Assert.EndsWith("/apps/shop", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TwoApps_ListsThemAndAThirdAppearsLive()
    {
        IngestFleet("shop");
        IngestFleet("api");
        var cut = Render<Home>();

        Assert.Equal(["apps/api", "apps/shop"], cut.FindAll("a.app-name").Select(a => a.GetAttribute("href")));

        Ingest("billing", new LogplexBody().Router(T0, "web.1"));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("a.app-name").Count));
    }
}
