using MudBlazor.Services;

namespace DynoDashboard.Web.Components;

public static class UiRegistration
{
    /// <summary>Blazor Server (interactive server render mode) and MudBlazor.</summary>
    public static IServiceCollection AddDynoUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        return services;
    }
}
