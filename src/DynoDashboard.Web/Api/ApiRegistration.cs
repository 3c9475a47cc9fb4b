using Microsoft.AspNetCore.Diagnostics;

namespace DynoDashboard.Web.Api;

public static class ApiRegistration
{
    public static IServiceCollection AddDynoApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        // Enums travel as their names ("Firing", "Threshold"), which scripts can read without a lookup table.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddHealthChecks();
        services.AddSignalR();
        services.AddSingleton<LiveHubSubscriptions>();
        return services;
    }

    /// <summary>The SignalR hub for external live clients, at <see cref="LiveHub.Path"/>.</summary>
    public static IEndpointRouteBuilder MapDynoLiveHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<LiveHub>(LiveHub.Path);
        return endpoints;
    }

    /// <summary>
    /// Machine endpoints (<c>/api</c>, <c>/drain</c>, <c>/healthz</c>) answer errors with problem+json; pages get
    /// the HTML error and not-found pages.
    /// </summary>
    public static WebApplication UseDynoErrorHandling(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWhen(IsMachinePath, machine =>
        {
            // Turn the HTML re-execute off for this request; the problem+json handlers below answer instead.
            machine.Use(next => context =>
            {
                if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
                {
                    pages.Enabled = false;
                }

                return next(context);
            });
            machine.UseExceptionHandler();
            machine.UseStatusCodePages();
        });
        return app;
    }

    private static bool IsMachinePath(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") ||
        context.Request.Path.StartsWithSegments("/drain") ||
        context.Request.Path.StartsWithSegments("/healthz");
}
