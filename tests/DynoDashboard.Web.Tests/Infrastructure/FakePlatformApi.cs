using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>
/// A stand-in for Heroku's Platform API on a real loopback port: records each request and answers what the
/// test asks for (202, or 401/404/429 with Heroku's rate-limit header).
/// </summary>
public sealed class FakePlatformApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakePlatformApi(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Method, string Path, string? Accept, string? Authorization)> Requests { get; } = new();

    /// <summary>The status the next restarts get.</summary>
    public int Status { get; set; } = StatusCodes.Status202Accepted;

    public Uri BaseUrl => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public static async Task<FakePlatformApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakePlatformApi(app);
        app.MapDelete("/apps/{app}/dynos/{dyno}", (HttpContext context) =>
        {
            fake.Requests.Enqueue((context.Request.Method, context.Request.Path.Value!, context.Request.Headers.Accept.ToString(),
                context.Request.Headers.Authorization.ToString()));
            context.Response.StatusCode = fake.Status;
            if (fake.Status == StatusCodes.Status429TooManyRequests)
            {
                context.Response.Headers["RateLimit-Remaining"] = "0";
            }

            return context.Response.WriteAsync(fake.Status < 300 ? "{}" : "{\"id\":\"error\",\"message\":\"nope\"}");
        });
        await app.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
