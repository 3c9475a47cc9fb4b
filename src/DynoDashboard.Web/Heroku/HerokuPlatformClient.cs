using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Heroku;

/// <summary>What the Platform API said to a restart request.</summary>
public sealed record PlatformAnswer(bool Succeeded, int StatusCode, string Summary);

/// <summary>
/// The few Platform API calls DynoDashboard makes (heroku-logs.md §5). The token goes only into the
/// Authorization header, which HttpClient's logging redacts; answers are summarised without echoing it.
/// </summary>
public sealed class HerokuPlatformClient(HttpClient http, IOptions<HerokuOptions> options)
{
    public const string AcceptHeader = "application/vnd.heroku+json; version=3";

    /// <summary><c>DELETE /apps/{app}/dynos/{dyno}</c>: restarts one dyno.</summary>
    public async Task<PlatformAnswer> RestartDynoAsync(string app, string dyno, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.RestartEnabled)
        {
            return new PlatformAnswer(false, 0, "No Heroku:ApiToken is configured; restart is off.");
        }

        var uri = new Uri(settings.ApiBaseUrl,
            $"apps/{Uri.EscapeDataString(app)}/dynos/{Uri.EscapeDataString(dyno)}");
        using var request = new HttpRequestMessage(HttpMethod.Delete, uri);
        request.Headers.Accept.ParseAdd(AcceptHeader);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiToken);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return Summarise(response);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new PlatformAnswer(false, 0, $"The Platform API could not be reached ({ex.GetType().Name}).");
        }
    }

    private static PlatformAnswer Summarise(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            _ when response.IsSuccessStatusCode => new PlatformAnswer(true, status, $"Accepted ({status})."),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new PlatformAnswer(false, status, $"The Platform API refused the token ({status}); check Heroku:ApiToken and its scope."),
            HttpStatusCode.NotFound => new PlatformAnswer(false, status, "The Platform API knows no such app or dyno (404)."),
            HttpStatusCode.TooManyRequests => new PlatformAnswer(false, status,
                $"Rate limited by the Platform API (429); RateLimit-Remaining: {Header(response, "RateLimit-Remaining") ?? "?"}."),
            _ => new PlatformAnswer(false, status, $"The Platform API answered {status}."),
        };
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
