using DynoDashboard.Web.Components.Controls;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;

namespace DynoDashboard.Web.Components.Layout;

/// <summary>
/// App bar, navigation drawer (app links when an app is open) and the dark-mode toggle, remembered in the
/// browser's local storage through <c>dyno-theme.js</c>. The drawer collapses to an overlay below the Md breakpoint.
/// </summary>
public sealed partial class MainLayout : LayoutComponentBase, IAsyncDisposable
{
    public const string ThemeModulePath = "./js/dyno-theme.js";

    private IJSObjectReference? _themeModule;
    private bool _drawerOpen = true;
    private bool _darkMode;

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    /// <summary>The app in the current address (<c>apps/{app}/…</c>), for the drawer's app links.</summary>
    internal string? CurrentApp
    {
        get
        {
            var path = Navigation.ToBaseRelativePath(Navigation.Uri).Split('?', '#')[0];
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && parts[0] == "apps" ? Uri.UnescapeDataString(parts[1]) : null;
        }
    }

    protected override void OnInitialized() => Navigation.LocationChanged += OnLocationChanged;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _themeModule = await JS.InvokeAsync<IJSObjectReference>("import", ThemeModulePath);
            var dark = await _themeModule.InvokeAsync<bool>("getDarkMode");
            if (dark != _darkMode)
            {
                _darkMode = dark;
                StateHasChanged();
            }
        }
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleDarkModeAsync()
    {
        _darkMode = !_darkMode;
        if (_themeModule is not null)
        {
            await _themeModule.InvokeVoidAsync("setDarkMode", _darkMode);
        }
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => InvokeAsync(StateHasChanged);

    public async ValueTask DisposeAsync()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        await _themeModule.SafeDisposeAsync();
    }
}
