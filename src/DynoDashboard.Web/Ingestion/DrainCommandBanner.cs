using DynoDashboard.Web.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// Prints, once the server listens, the exact <c>heroku drains:add</c> command that points an app at this
/// dashboard. This is the one place the ingest key is ever logged, because the user needs it to connect Heroku.
/// A key from configuration is not printed: whoever set it already has it.
/// </summary>
public sealed partial class DrainCommandBanner(
    IngestKey key,
    IOptions<IngestOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<DrainCommandBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static string DrainUrl(string baseUrl, string key)
    {
        var uri = new Uri(baseUrl.TrimEnd('/') + "/", UriKind.Absolute);
        var builder = new UriBuilder(uri) { UserName = "user", Password = key, Path = uri.AbsolutePath + "drain/APP" };
        if (builder.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            builder.Scheme = Uri.UriSchemeHttps;
            builder.Port = -1;
        }

        return builder.Uri.ToString();
    }

    private void Print()
    {
        if (!key.Source.EndsWith(IngestKey.FileName, StringComparison.Ordinal))
        {
            LogConfiguredKey(logger);
            return;
        }

        var baseUrl = PublicBaseUrl.Resolve(options.Value.PublicUrl, server);
        var how = key.WasGenerated ? "generated" : "loaded";
        var command = $"heroku drains:add \"{DrainUrl(baseUrl, key.Value)}\" -a APP";
        LogDrainCommand(logger, how, key.Source, command);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest key {How} ({Path}). Point a Heroku app at this dashboard (replace APP; use your public HTTPS host):\n    {Command}")]
    private static partial void LogDrainCommand(ILogger logger, string how, string path, string command);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest key from configuration (Ingest:Key). Drain URL: https://user:<Ingest:Key>@<host>/drain/<app>")]
    private static partial void LogConfiguredKey(ILogger logger);
}
