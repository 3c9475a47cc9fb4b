namespace DynoDashboard.Web.Api;

/// <summary>
/// <c>dotnet DynoDashboard.Web.dll --healthcheck</c>: asks the running server's <c>/healthz</c> and exits 0 or 1.
/// The ASP.NET runtime image has no curl or wget, so the container's HEALTHCHECK uses the app itself.
/// </summary>
public static class HealthProbe
{
    public const string Flag = "--healthcheck";

    public static async Task<int> RunAsync()
    {
        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(';', ',')[0].Trim();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
