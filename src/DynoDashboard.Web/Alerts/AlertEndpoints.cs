using DynoDashboard.Core.Analysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Alerts;

/// <summary>A rule as the API shows and takes it.</summary>
public sealed record AlertRuleRequest(string Rule, string? App, string? Scope, double? CooldownMinutes, bool RestartDyno);

public sealed record AlertRuleResponse(string Name, string Kind, string? App, string? Scope, string? Metric, string Operator,
    double Threshold, string? Code, int Count, double ForMinutes, double CooldownMinutes, bool RestartDyno, bool FromConfiguration)
{
    public static AlertRuleResponse From(AlertRule r, bool fromConfiguration) => new(r.Name, r.Kind.ToString(), r.App, r.Scope,
        r.Metric, r.Operator, r.Threshold, r.Code, r.Count, r.For.TotalMinutes, r.Cooldown.TotalMinutes, r.RestartDyno, fromConfiguration);
}

public sealed record AlertsResponse(IReadOnlyList<FiringAlert> Firing, IReadOnlyList<AlertTransition> History);

public sealed record FiringAlert(string Rule, string App, string? Dyno, DateTimeOffset Since);

public static class AlertEndpoints
{
    public static IServiceCollection AddDynoAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AlertRuleBook>();
        services.AddSingleton<AlertHistory>();
        services.AddHttpClient(nameof(AlertNotifier));
        services.AddSingleton(sp => new AlertNotifier(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AlertNotifier)),
            sp.GetRequiredService<IOptions<AlertOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AlertNotifier>>()));
        services.AddHostedService(sp => sp.GetRequiredService<AlertNotifier>());
        services.AddSingleton<AlertService>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertService>());
        return services;
    }

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder endpoints)
    {
        var alerts = endpoints.MapGroup("/api/alerts").WithTags("DynoDashboard");

        alerts.MapGet("/", (string? app, int? limit, AlertService service, AlertHistory history) => Results.Ok(new AlertsResponse(
            [.. service.Firing.Where(f => app is null || f.App == app).Select(f => new FiringAlert(f.Rule, f.App, f.Dyno, f.Since))],
            history.Get(app, Math.Clamp(limit ?? 200, 1, AlertHistory.Capacity)))))
            .WithSummary("Alerts firing now and recent transitions, optionally for one app")
            .Produces<AlertsResponse>();

        alerts.MapGet("/rules", (AlertRuleBook book) =>
            Results.Ok(book.All.Select(r => AlertRuleResponse.From(r, book.IsConfigured(r.Name))).ToList()))
            .WithSummary("All alert rules, from configuration and added through the API")
            .Produces<List<AlertRuleResponse>>();

        alerts.MapPut("/rules/{name}", (string name, AlertRuleRequest request, AlertRuleBook book) =>
        {
            var configured = new ConfiguredRule
            {
                Name = name,
                Rule = request.Rule,
                App = request.App,
                Scope = request.Scope,
                CooldownMinutes = request.CooldownMinutes ?? 30,
                RestartDyno = request.RestartDyno,
            };
            if (name.Length > 100)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid rule", detail: "A rule name is at most 100 characters.");
            }

            if (configured.ToRule(out var error) is not { } rule)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid rule", detail: error);
            }

            return book.Save(rule) is { } refusal
                ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Rule not saved", detail: refusal)
                : Results.Ok(AlertRuleResponse.From(rule, fromConfiguration: false));
        })
            .WithSummary("Add or replace an alert rule written in the rule language")
            .Produces<AlertRuleResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        alerts.MapDelete("/rules/{name}", (string name, AlertRuleBook book) => book.Remove(name)
            ? Results.NoContent()
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown rule",
                detail: book.IsConfigured(name) ? "Rules from configuration are removed there." : "No rule by that name was added."))
            .WithSummary("Remove an alert rule added through the API")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }
}
