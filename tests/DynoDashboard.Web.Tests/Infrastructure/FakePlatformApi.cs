using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>
/// A stand-in for Heroku's Platform API on a real loopback port: records each request and answers what the
/// test asks for (202, or 401/404/429 with Heroku's rate-limit header).
/// </summary>
public sealed class FakePlatformApi : IAsyncDisposable
{
    private LoopbackServer? _server;

    public ConcurrentQueue<(string Method, string Path, string? Accept, string? Authorization)> Requests { get; } = new();

    /// <summary>The status the next restarts get.</summary>
    public int Status { get; set; } = StatusCodes.Status202Accepted;

    public Uri BaseUrl => _server!.BaseUrl;

    public static async Task<FakePlatformApi> StartAsync()
    {
        var fake = new FakePlatformApi();
        fake._server = await LoopbackServer.StartAsync(app => app.MapDelete("/apps/{app}/dynos/{dyno}", (HttpContext context) =>
        {
            fake.Requests.Enqueue((context.Request.Method, context.Request.Path.Value!, context.Request.Headers.Accept.ToString(),
                context.Request.Headers.Authorization.ToString()));
            context.Response.StatusCode = fake.Status;
            if (fake.Status == StatusCodes.Status429TooManyRequests)
            {
                context.Response.Headers["RateLimit-Remaining"] = "0";
            }

            return context.Response.WriteAsync(fake.Status < 300 ? "{}" : "{\"id\":\"error\",\"message\":\"nope\"}");
        }));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
