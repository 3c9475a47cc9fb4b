using System.Net.Http.Headers;
using System.Text;
using DynoDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.BrowserTests.Infrastructure;

/// <summary>
/// The real app on real Kestrel at a random loopback port (a browser cannot reach a TestServer), with its own
/// temporary data folder, a known ingest key and any extra settings (the demo fleet, for example).
/// </summary>
public sealed class KestrelDashboard : WebApplicationFactory<Program>
{
    public const string Key = "browser-test-ingest-key-0123456789";

    private readonly IReadOnlyDictionary<string, string?> _settings;

    public KestrelDashboard(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        DataFolder = Path.Combine(Path.GetTempPath(), "dynodash-browser", Guid.NewGuid().ToString("N"));
        UseKestrel(0);
    }

    public string DataFolder { get; }

    /// <summary>http://127.0.0.1:PORT/ (starts the server on first use).</summary>
    public Uri RootUri
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.TrimEnd('/') + "/");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Path", Path.Combine(DataFolder, "dynodash.db"));
        builder.UseSetting("Ingest:Key", Key);
        // Auth arrives from another branch; None keeps these tests about the pages.
        builder.UseSetting("Dashboard:Auth:Mode", "None");
        builder.UseSetting("Demo:Enabled", "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>POSTs a Logplex body to the drain over real HTTP, as Heroku would.</summary>
    public async Task PostAsync(string app, LogplexBody body)
    {
        using var client = new HttpClient { BaseAddress = RootUri };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"token:{Key}")));
        using var request = body.ToRequest(app);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DataFolder))
        {
            Directory.Delete(DataFolder, recursive: true);
        }
    }
}
