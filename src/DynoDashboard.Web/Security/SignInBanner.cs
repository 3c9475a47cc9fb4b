using DynoDashboard.Web.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Security;

/// <summary>
/// Says at every start how to sign in. In <c>BrowserToken</c> mode it prints the sign-in link
/// (<c>http://HOST/login?t=TOKEN</c>) once the server listens: the one place the token is ever logged.
/// In <c>None</c> mode it warns that pages, API and hubs are open.
/// </summary>
public sealed partial class SignInBanner(
    DashboardSignIn signIn,
    IServiceProvider services,
    IOptions<IngestOptions> ingest,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<SignInBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        switch (signIn.Mode)
        {
            case AuthMode.None:
                LogOpenAccess(logger);
                break;
            case AuthMode.BrowserToken:
                // Make (or read) the token now, so a problem with the data folder stops the start.
                _ = services.GetRequiredService<LoginToken>();
                lifetime.ApplicationStarted.Register(PrintLink);
                break;
            default:
                lifetime.ApplicationStarted.Register(PrintPasswordMode);
                break;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void PrintLink()
    {
        var token = services.GetRequiredService<LoginToken>();
        var link = $"{PublicBaseUrl.Resolve(ingest.Value.PublicUrl, server)}{SignInEndpoints.LoginPath}?t={token.Value}";
        LogSignInLink(logger, token.WasGenerated ? "generated" : "loaded", token.Source, link);
    }

    private void PrintPasswordMode()
    {
        var baseUrl = PublicBaseUrl.Resolve(ingest.Value.PublicUrl, server);
        LogPasswordMode(logger, baseUrl);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in token {How} ({Path}). Open this link to sign in to the dashboard:\n    {Link}")]
    private static partial void LogSignInLink(ILogger logger, string how, string path, string link);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard sign-in by password (Dashboard:Auth:Mode=Password) at {BaseUrl}/login")]
    private static partial void LogPasswordMode(ILogger logger, string baseUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard:Auth:Mode is None: the pages, /api and /hubs are open to anyone who can reach this server. Use it only behind a proxy that authenticates, or on a private network.")]
    private static partial void LogOpenAccess(ILogger logger);
}
