namespace DynoDashboard.Web.Api;

public static class ApiRegistration
{
    public static IServiceCollection AddDynoApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddHealthChecks();
        return services;
    }

    /// <summary>
    /// Machine endpoints (<c>/api</c>, <c>/drain</c>, <c>/healthz</c>) answer errors with problem+json; pages get
    /// the HTML error and not-found pages.
    /// </summary>
    public static WebApplication UseDynoErrorHandling(this WebApplication app)
    {
        app.UseWhen(IsMachinePath, machine =>
        {
            machine.UseExceptionHandler();
            machine.UseStatusCodePages();
        });
        app.UseWhen(context => !IsMachinePath(context), pages =>
        {
            if (!app.Environment.IsDevelopment())
            {
                pages.UseExceptionHandler("/Error", createScopeForErrors: true);
            }

            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        return app;
    }

    private static bool IsMachinePath(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") ||
        context.Request.Path.StartsWithSegments("/drain") ||
        context.Request.Path.StartsWithSegments("/healthz");
}
