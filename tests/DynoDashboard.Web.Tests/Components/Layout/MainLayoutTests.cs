using Bunit;
using DynoDashboard.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace DynoDashboard.Web.Tests.Components.Layout;

public sealed class MainLayoutTests : DashboardTestContext
{
    // The layout prints whether the circuit is interactive (the browser tests wait for it).
    public MainLayoutTests() => SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    [Fact]
    public void Render_Interactive_CircuitStateSaysSo() =>
        Assert.Equal("interactive", Render<MainLayout>().Find("#circuit-state").TextContent);

    [Fact]
    public void Render_StoredDarkMode_ThemeIsDark()
    {
        ThemeModule.Setup<bool>("getDarkMode").SetResult(true);

        var cut = Render<MainLayout>();

        cut.WaitForAssertion(() => Assert.True(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode)));
    }

    [Fact]
    public void ClickToggle_LightMode_DarkAndRemembered()
    {
        ThemeModule.Setup<bool>("getDarkMode").SetResult(false);
        ThemeModule.SetupVoid("setDarkMode", _ => true).SetVoidResult();
        var cut = Render<MainLayout>();

        cut.Find("button.dark-mode-toggle").Click();

        Assert.True(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));
        Assert.Equal(true, ThemeModule.Invocations["setDarkMode"].Single().Arguments[0]);
    }

    [Fact]
    public void Navigate_IntoAnApp_DrawerShowsItsPages()
    {
        var cut = Render<MainLayout>();
        Assert.Empty(cut.FindAll("a[href='apps/shop/swap']"));

        Services.GetRequiredService<NavigationManager>().NavigateTo("apps/shop/dynos/web.2");

        cut.WaitForAssertion(() => Assert.Equal(
            ["apps/shop", "apps/shop/swap", "apps/shop/compare", "apps/shop/logs", "apps/shop/errors"],
            cut.FindAll("a[href^='apps/shop']").Select(a => a.GetAttribute("href"))));
    }
}
