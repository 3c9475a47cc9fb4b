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

    /// <summary><c>HttpContext.Items</c> key of extra <c>script-src</c> sources for one response, set by
    /// <see cref="AllowInlineScriptsOf"/>.</summary>
    private const string ScriptSourcesItem = "DynoDashboard.ScriptSources";

    /// <summary>
    /// For a third-party HTML endpoint that writes its own inline <c>&lt;script&gt;</c> (the Scalar API reference):
    /// the body is buffered and each inline script's SHA-256 is allowed for that response only, so the page works
    /// without <c>'unsafe-inline'</c>. Only for small pages.
    /// </summary>
    public static TBuilder AllowInlineScriptsOf<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate;
            if (inner is null)
            {
                return;
            }

            endpoint.RequestDelegate = async context =>
            {
                var original = context.Response.Body;
                using var buffer = new MemoryStream();
                context.Response.Body = buffer;
                try
                {
                    await inner(context);
                }
                finally
                {
                    context.Response.Body = original;
                }

                if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                {
                    context.Items[ScriptSourcesItem] = string.Concat(InlineScripts(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length))
                        .Select(script => $" 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'"));
                }

                if (context.Response.ContentLength is not null)
                {
                    context.Response.ContentLength = buffer.Length;
                }

                buffer.Position = 0;
                await buffer.CopyToAsync(original, context.RequestAborted);
            };
        });
        return builder;
    }

    /// <summary>The text of each <c>&lt;script&gt;</c> without a <c>src</c>, exactly as the browser hashes it.</summary>
    internal static IEnumerable<string> InlineScripts(string html)
    {
        var at = 0;
        while ((at = html.IndexOf("<script", at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var tagEnd = html.IndexOf('>', at);
            var close = tagEnd < 0 ? -1 : html.IndexOf("</script>", tagEnd, StringComparison.OrdinalIgnoreCase);
            if (close < 0)
            {
                yield break;
            }

            if (!html.AsSpan(at, tagEnd - at).Contains(" src=", StringComparison.OrdinalIgnoreCase))
            {
                yield return html[(tagEnd + 1)..close];
            }

            at = close;
        }
    }

    internal static string PolicyFor(HttpContext context)
    {
        if (context.Items.TryGetValue(ScriptSourcesItem, out var extra) && extra is string sources)
        {
            return $"default-src 'self'; script-src 'self'{sources}{AfterScriptSources}";
        }

        var importMap = context.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>();
        return importMap is null
            ? ContentSecurityPolicy
            : s_importMapPolicies.GetValue(importMap, static map =>
                $"default-src 'self'; script-src 'self' 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(map.ToString())))}'{AfterScriptSources}");
    }
}
