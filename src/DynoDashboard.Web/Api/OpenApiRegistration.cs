using Microsoft.OpenApi;
using DynoDashboard.Web.Security;
using Scalar.AspNetCore;

namespace DynoDashboard.Web.Api;

/// <summary>
/// The API described at <see cref="DocumentPath"/> (ASP.NET Core's built-in generator) and browsable at
/// <see cref="ReferencePath"/> (Scalar). Neither calls <c>AllowAnonymous</c>, so the deny-by-default fallback policy
/// puts both behind the same sign-in as <c>/api</c>; the document also takes an API key, for scripts and generators.
/// </summary>
public static class OpenApiRegistration
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api-reference";

    public static IServiceCollection AddDynoOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "DynoDashboard API";
            document.Info.Description = "Per-dyno metrics, router traffic, logs, insights and alerts from Heroku log drains. " +
                "Send `Authorization: Bearer <key>` with a key from Dashboard:ApiKeys, or use a signed-in browser session. " +
                "Errors are RFC 9457 problem+json.";
            return Task.CompletedTask;
        }).AddOperationTransformer((operation, context, _) =>
        {
            // The sign-in and the rate limit answer before any handler, so no endpoint declares them itself.
            if (context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true)
            {
                operation.Responses ??= [];
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Sign-in required (problem+json): send an API key or sign in." });
                operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Too many requests from this client (problem+json); see Retry-After." });
            }

            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapDynoOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        endpoints.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("DynoDashboard API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowInlineScriptsOf(); // Scalar starts itself with an inline module script; the CSP allows that one by hash
        return endpoints;
    }
}
