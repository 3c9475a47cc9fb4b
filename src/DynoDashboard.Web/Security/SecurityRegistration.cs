using System.Net;
using System.Threading.RateLimiting;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Security;

/// <summary>
/// Sign-in for pages, <c>/api</c> and <c>/hubs</c>; security headers, HSTS, forwarded headers and rate limits.
/// <para>
/// Deny by default: the authorization <em>fallback</em> policy requires a signed-in user on every endpoint that
/// does not say otherwise, so pages, the Blazor circuit (<c>/_blazor</c>), <c>/api</c>, static assets and any hub
/// mapped later under <c>/hubs</c> are covered without their code doing anything. Only <c>/drain/*</c> (its own
/// ingest key), <c>/healthz</c> and <c>/login</c> opt out with <c>AllowAnonymous</c>.
/// </para>
/// </summary>
public static class SecurityRegistration
{
    /// <summary>The default scheme: picks the API key, the cookie or open access per request.</summary>
    public const string DashboardScheme = "Dashboard";

    public const string CookieName = "dynodash.auth";
    public const string KeysFolder = "keys";

    public static IServiceCollection AddDynoSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton<LoginToken>();
        services.AddSingleton<DashboardSignIn>();
        services.AddSingleton<ApiKeys>();
        services.AddHostedService<SignInBanner>();

        AddKeyRing(services);
        AddAuthentication(services);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "dynodash.af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        AddRateLimits(services);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SecurityOptions>>((options, security) =>
            ConfigureForwardedHeaders(options, security.Value.ForwardedHeaders));
        return services;
    }

    /// <summary>First in the pipeline: forwarded headers (when configured), HSTS (outside Development) and the
    /// security headers on every response.</summary>
    public static WebApplication UseDynoSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.ForwardedHeaders.Enabled)
        {
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment())
        {
            // Sent on HTTPS responses only (directly, or through a proxy with forwarded headers on).
            app.UseHsts();
        }

        app.UseDynoSecurityHeaders();
        return app;
    }

    /// <summary>After error handling: rate limits, sign-in, authorization, antiforgery.</summary>
    public static WebApplication UseDynoSignIn(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>Paths used by programs rather than people: an unauthenticated request gets 401, not a redirect.</summary>
    internal static bool IsMachinePath(PathString path) =>
        AcceptsApiKey(path) || path.StartsWithSegments("/_blazor");

    private static bool AcceptsApiKey(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments(ApiKeyAuthenticationHandler.MetricsPath) ||
        path.StartsWithSegments("/openapi");

    private static void AddAuthentication(IServiceCollection services)
    {
        services.AddAuthentication(DashboardScheme)
            .AddPolicyScheme(DashboardScheme, "DynoDashboard", options => options.ForwardDefaultSelector = context =>
            {
                if (context.RequestServices.GetRequiredService<DashboardSignIn>().Mode == AuthMode.None)
                {
                    return OpenAccessAuthenticationHandler.SchemeName;
                }

                return AcceptsApiKey(context.Request.Path) && ApiKeyAuthenticationHandler.PresentedKey(context.Request) is not null
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, OpenAccessAuthenticationHandler>(OpenAccessAuthenticationHandler.SchemeName, null)
            .AddCookie();

        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SecurityOptions>>((options, security) =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                // Lax, not Strict: a link to the dashboard from chat or mail should open it signed in. Nothing
                // that changes state is a GET, and the forms carry antiforgery tokens.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = SignInEndpoints.LoginPath;
                options.LogoutPath = SignInEndpoints.LogoutPath;
                options.ExpireTimeSpan = TimeSpan.FromHours(security.Value.Auth.SessionHours);
                options.SlidingExpiration = true;
                options.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = RejectStaleSession;
            });
    }

    private static async Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (!IsMachinePath(context.Request.Path))
        {
            context.Response.Redirect(context.RedirectUri);
            return;
        }

        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized && AcceptsApiKey(context.Request.Path))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"DynoDashboard API\"";
        }

        // Written here, so the HTML status-code pages never turn a hub's or the circuit's 401 into a redirect.
        await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails =
            {
                Status = status,
                Title = status == StatusCodes.Status401Unauthorized ? "Sign-in required" : "Forbidden",
                Detail = AcceptsApiKey(context.Request.Path)
                    ? "Send Authorization: Bearer with a key from Dashboard:ApiKeys, or sign in at /login."
                    : "Sign in at /login.",
            },
        });
    }

    /// <summary>A cookie made before the token or password changed no longer signs in.</summary>
    private static async Task RejectStaleSession(CookieValidatePrincipalContext context)
    {
        var signIn = context.HttpContext.RequestServices.GetRequiredService<DashboardSignIn>();
        if (context.Principal?.FindFirst(DashboardSignIn.StampClaim)?.Value != signIn.Stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>The keys that encrypt the sign-in and antiforgery cookies live in the data folder too, so
    /// sign-ins survive a restart and nothing is written outside it (the container's <c>/data</c>).</summary>
    private static void AddKeyRing(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("DynoDashboard");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<StorageOptions>, IHostEnvironment, ILoggerFactory>((options, storage, environment, loggers) =>
            {
                var folder = Path.Combine(DataFolder.Resolve(storage.Value, environment), KeysFolder);
                Core.PrivateFiles.CreateFolder(folder);

                options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), loggers);
            });
    }

    private static void AddRateLimits(IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var path = context.Request.Path;
            var isLogin = path.StartsWithSegments(SignInEndpoints.LoginPath) || path.StartsWithSegments(SignInEndpoints.LogoutPath);
            if (!isLogin && !path.StartsWithSegments("/api"))
            {
                return RateLimitPartition.GetNoLimiter(string.Empty); // the drain, pages, hubs, assets
            }

            var limits = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RateLimits;
            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetFixedWindowLimiter((isLogin ? "login|" : "api|") + client, _ =>
                new FixedWindowRateLimiterOptions
                {
                    PermitLimit = isLogin ? limits.LoginPerMinute : limits.ApiPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
        });
        options.OnRejected = async (context, cancellationToken) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            context.HttpContext.Response.Headers.RetryAfter =
                Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context.HttpContext,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = "This client sent too many requests in the last minute; wait and try again (see Retry-After).",
                },
            });
        };
    });

    private static void ConfigureForwardedHeaders(ForwardedHeadersOptions options, ForwardedHeadersSettings settings)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        if (settings.KnownProxies.Count == 0 && settings.KnownNetworks.Count == 0)
        {
            return; // the defaults: loopback only
        }

        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in settings.KnownProxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                options.KnownProxies.Add(address);
            }
        }

        foreach (var network in settings.KnownNetworks)
        {
            if (System.Net.IPNetwork.TryParse(network, out var parsed))
            {
                options.KnownIPNetworks.Add(parsed);
            }
        }
    }
}
