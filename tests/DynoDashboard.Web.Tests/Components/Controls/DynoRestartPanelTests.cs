using Bunit;
using DynoDashboard.Web.Components.Controls;
using MudBlazor;

namespace DynoDashboard.Web.Tests.Components.Controls;

public sealed class DynoRestartPanelTests : DashboardTestContext
{
    private const string Token = "heroku-api-token-bunit-1234";

    private IRenderedComponent<DynoRestartPanel> RenderWeb2() =>
        Render<DynoRestartPanel>(p => p.Add(c => c.App, "shop").Add(c => c.Dyno, "web.2"));

    [Fact]
    public void Render_NoApiToken_NoRestartButton()
    {
        IngestFleet();

        var cut = RenderWeb2();

        Assert.Empty(cut.FindAll(".restart-dyno"));
        Assert.Empty(cut.FindAll(".restart-audit"));
    }

    [Fact]
    public void Render_Web2Swapping_HeadroomLineSaysSince()
    {
        IngestFleet();

        var cut = RenderWeb2();

        Assert.Equal("Memory 558 MB of 512 MB; swapping since 10:00 UTC", cut.Find(".memory-headroom").TextContent);
    }

    [Fact]
    public async Task Restart_Confirmed_SendsDeleteShowsAnswerAndAudit()
    {
        await using var platform = await FakePlatformApi.StartAsync();
        Heroku.ApiToken = Token;
        Heroku.ApiBaseUrl = platform.BaseUrl;
        IngestFleet();
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        var cut = RenderWeb2();

        // The click's handler waits on the dialog, so its task completes only after the dialog is answered.
        var clicking = cut.Find(".restart-dyno").ClickAsync(new());
        var confirm = dialogs.WaitForElement(".mud-dialog .mud-button-root:last-child");
        Assert.Contains("Restart web.2 of shop?", dialogs.Markup, StringComparison.Ordinal);
        Assert.Empty(platform.Requests);
        await confirm.ClickAsync(new());
        await clicking.WaitAsync(TimeSpan.FromSeconds(10));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr.restart-record")));
        var call = Assert.Single(platform.Requests);
        Assert.Equal(("DELETE", "/apps/shop/dynos/web.2"), (call.Method, call.Path));
        var record = cut.Find("tr.restart-record").TextContent;
        Assert.Contains("operator", record, StringComparison.Ordinal);
        Assert.Contains("Accepted (202).", record, StringComparison.Ordinal);
        snackbars.WaitForAssertion(() => Assert.Contains("Restart of web.2 sent: Accepted (202).", snackbars.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(Token, cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_Cancelled_SendsNothing()
    {
        await using var platform = await FakePlatformApi.StartAsync();
        Heroku.ApiToken = Token;
        Heroku.ApiBaseUrl = platform.BaseUrl;
        IngestFleet();
        var dialogs = Render<MudDialogProvider>();
        var cut = RenderWeb2();

        var clicking = cut.Find(".restart-dyno").ClickAsync(new());
        var buttons = dialogs.WaitForElements(".mud-dialog .mud-button-root");
        await buttons.Single(b => b.TextContent.Contains("Cancel", StringComparison.Ordinal)).ClickAsync(new());
        await clicking.WaitAsync(TimeSpan.FromSeconds(10));

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Empty(platform.Requests);
        Assert.Empty(cut.FindAll("tr.restart-record"));
    }
}
