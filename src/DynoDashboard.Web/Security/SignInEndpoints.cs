using System.Security.Claims;
using DynoDashboard.Web.Configuration;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DynoDashboard.Web.Security;

/// <summary>
/// <c>GET /login</c> (the form, or <c>?t=TOKEN</c> from the start-up link; a sign-out button when signed in), <c>POST /login</c> (the form, antiforgery
/// checked) and <c>POST /logout</c>. Each failure answers 401 with the form again and logs a warning with the
/// client address, never what was typed. <c>/login</c> is rate limited (<c>Dashboard:RateLimits:LoginPerMinute</c>).
/// </summary>
public static partial class SignInEndpoints
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    public static IEndpointRouteBuilder MapDynoSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, ShowAsync).AllowAnonymous().ExcludeFromDescription();
        // Antiforgery is checked in the handler, so a stale form gets the form back rather than an exception page.
        endpoints.MapPost(LoginPath, SubmitAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapPost(LogoutPath, SignOutAsync).DisableAntiforgery().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, DashboardSignIn signIn, IAntiforgery antiforgery,
        ILoggerFactory loggers, string? t, string? returnUrl)
    {
        var target = LocalUrl(returnUrl);
        if (signIn.Mode == AuthMode.None)
        {
            return Results.Redirect(target);
        }

        if (signIn.Mode == AuthMode.BrowserToken && !string.IsNullOrEmpty(t))
        {
            return await TrySignInAsync(context, signIn, antiforgery, loggers, t, target,
                "This sign-in link is not valid (the server may have a new token: see its start-up log).");
        }

        return Form(context, signIn, antiforgery, target, StatusCodes.Status200OK, message: null);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, DashboardSignIn signIn, IAntiforgery antiforgery,
        ILoggerFactory loggers)
    {
        if (signIn.Mode == AuthMode.None)
        {
            return Results.Redirect("/");
        }

        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;
        var target = LocalUrl(form["returnUrl"]);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Form(context, signIn, antiforgery, target, StatusCodes.Status400BadRequest,
                "The form had expired. Please try again.");
        }

        return await TrySignInAsync(context, signIn, antiforgery, loggers, form["secret"].ToString(), target,
            signIn.Mode == AuthMode.Password ? "Wrong password." : "Wrong sign-in token.");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid antiforgery token");
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect(LoginPath);
    }

    private static async Task<IResult> TrySignInAsync(HttpContext context, DashboardSignIn signIn,
        IAntiforgery antiforgery, ILoggerFactory loggers, string? presented, string target, string failure)
    {
        var logger = loggers.CreateLogger(typeof(SignInEndpoints));
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!signIn.Verify(presented))
        {
            LogSignInFailed(logger, client);
            return Form(context, signIn, antiforgery, target, StatusCodes.Status401Unauthorized, failure);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "operator"), new Claim(DashboardSignIn.StampClaim, signIn.Stamp)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = true });
        LogSignedIn(logger, client);
        // Redirect so the token leaves the address bar and the history entry.
        return Results.Redirect(target);
    }

    private static RazorComponentResult<LoginPage> Form(HttpContext context, DashboardSignIn signIn,
        IAntiforgery antiforgery, string returnUrl, int status, string? message)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.CacheControl = "no-store";
        return new RazorComponentResult<LoginPage>(new Dictionary<string, object?>
        {
            [nameof(LoginPage.Mode)] = signIn.Mode,
            [nameof(LoginPage.AntiforgeryFieldName)] = tokens.FormFieldName,
            [nameof(LoginPage.AntiforgeryToken)] = tokens.RequestToken,
            [nameof(LoginPage.ReturnUrl)] = returnUrl,
            [nameof(LoginPage.Message)] = message,
            [nameof(LoginPage.IsError)] = status >= 400,
            [nameof(LoginPage.SignedIn)] = context.User.Identity?.IsAuthenticated == true,
        })
        { StatusCode = status };
    }

    /// <summary>Only paths on this site (<c>/apps/x</c>), never <c>//evil.example</c> or <c>/\evil</c>: no open redirect.</summary>
    internal static string LocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Any(char.IsControl) && !url.StartsWith(LoginPath, StringComparison.OrdinalIgnoreCase)
            ? url
            : "/";

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard sign-in from {Client}")]
    private static partial void LogSignedIn(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed dashboard sign-in from {Client}")]
    private static partial void LogSignInFailed(ILogger logger, string client);
}
