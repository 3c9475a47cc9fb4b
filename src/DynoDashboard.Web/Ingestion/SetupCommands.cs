namespace DynoDashboard.Web.Ingestion;

/// <summary>The three Heroku CLI commands that connect an app, exactly as the setup page shows them.</summary>
public sealed record SetupCommands(string EnableRuntimeMetrics, string Restart, string AddDrain)
{
    /// <param name="app">A valid Heroku app name (<see cref="AppName.IsValid"/>); nothing else is quoted.</param>
    /// <param name="key">The ingest key for that app; escaped so any configured key stays one URL.</param>
    /// <param name="baseUrl">Where Heroku reaches the dashboard: <c>Ingest:PublicUrl</c>, else the page's own base.</param>
    public static SetupCommands For(string app, string key, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!AppName.IsValid(app))
        {
            throw new ArgumentException("Not a Heroku app name.", nameof(app));
        }

        var path = baseUrl.AbsolutePath.TrimEnd('/');
        var drain = $"{baseUrl.Scheme}://user:{Uri.EscapeDataString(key)}@{baseUrl.Authority}{path}/drain/{app}";
        return new SetupCommands(
            $"heroku labs:enable log-runtime-metrics -a {app}",
            $"heroku ps:restart -a {app}",
            $"heroku drains:add \"{drain}\" -a {app}");
    }

    public IReadOnlyList<string> All => [EnableRuntimeMetrics, Restart, AddDrain];
}
