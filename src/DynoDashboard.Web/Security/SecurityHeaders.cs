using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Security;

/// <summary>
/// Headers on every response, set when the response starts so that error pages (whose handler clears headers)
/// get them too.
/// <para>The CSP fits Blazor Server + MudBlazor + ApexCharts: scripts only from this origin (no inline script, no
/// eval: Blazor Server needs neither); inline styles allowed because MudBlazor renders <c>style="…"</c> attributes and
/// ApexCharts injects a <c>&lt;style&gt;</c> element; <c>connect-src 'self'</c> covers the circuit's WebSocket
/// (same host, ws/wss) and fetches; images from here and <c>data:</c> URIs (the favicon, MudBlazor icons).</para>
/// <para>The one inline script Blazor writes is the <c>&lt;script type="importmap"&gt;</c> of <c>&lt;ImportMap /&gt;</c>
/// (fingerprinted module URLs). Its text is the page endpoint's <see cref="ImportMapDefinition"/>, so its SHA-256 is
/// added to <c>script-src</c> for page responses: the import map works and other inline script stays blocked.</para>
/// </summary>
public static class SecurityHeaders
{
    private static readonly ConditionalWeakTable<ImportMapDefinition, string> s_importMapPolicies = new();

    /// <summary>The policy of responses other than pages (and of pages without an import map).</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'" + AfterScriptSources;

    private const string AfterScriptSources =
        "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
        "frame-ancestors 'none'";

    public static IApplicationBuilder UseDynoSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                headers.ContentSecurityPolicy = PolicyFor((HttpContext)state);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                // The sign-in link carries its token in the query string: never send any URL on as a Referer.
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    internal static string PolicyFor(HttpContext context)
    {
        var importMap = context.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>();
        return importMap is null
            ? ContentSecurityPolicy
            : s_importMapPolicies.GetValue(importMap, static map =>
                $"default-src 'self'; script-src 'self' 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(map.ToString())))}'{AfterScriptSources}");
    }
}
