using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Heroku;

/// <summary>Body of <c>POST /api/apps/{app}/dynos/{dyno}/restart</c>.</summary>
public sealed record RestartRequest(string? Reason);

public static class RestartEndpoints
{
    public static IServiceCollection AddDynoRestart(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HerokuOptions>().Bind(configuration.GetSection(HerokuOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HerokuOptions>, HerokuOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<HerokuPlatformClient>(client => client.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<DynoRestarter>(sp => new DynoRestarter(
            sp.GetRequiredService<HerokuPlatformClient>(),
            sp.GetRequiredService<LiveStore>(),
            sp.GetRequiredService<IOptions<HerokuOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOperationsLog>()));
        return services;
    }

    public static IEndpointRouteBuilder MapRestartApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/apps/{app}/dynos/{dyno}/restart", async (string app, string dyno, RestartRequest? body,
            HttpContext context, LiveStore store, DynoRestarter restarter) =>
        {
            if (store.GetDynos(app) is not { } dynos || !dynos.Any(d => d.Name.Value == dyno))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown dyno",
                    detail: "Restart needs an app and dyno that have sent logs.");
            }

            var who = context.User.Identity?.Name is { Length: > 0 } name ? name : "dashboard user";
            var record = await restarter.RestartAsync(app, new DynoName(dyno), who, automatic: false,
                body?.Reason is { Length: > 0 } reason ? reason[..Math.Min(reason.Length, 500)] : "restarted from the dashboard",
                context.RequestAborted);
            return record.Performed
                ? Results.Ok(record)
                : Results.Problem(statusCode: record.ApiStatus is >= 400 and < 600 ? StatusCodes.Status502BadGateway : StatusCodes.Status409Conflict,
                    title: "Restart not performed", detail: record.Outcome);
        }).WithTags("DynoDashboard")
            .WithSummary("Restart one dyno through the Heroku Platform API (needs Heroku:ApiToken); audited")
            .Produces<RestartRecord>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway);

        endpoints.MapGet("/api/apps/{app}/restarts", (string app, DynoRestarter restarter) => Results.Ok(restarter.GetAudit(app)))
            .WithTags("DynoDashboard")
            .WithSummary("The restart audit of an app, manual and automatic")
            .Produces<List<RestartRecord>>();
        return endpoints;
    }
}
