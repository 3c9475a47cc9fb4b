using System.Net.Http.Headers;
using System.Text;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>
/// The real app in a test server, with its own temporary data folder (never share a LiteDB file between hosts)
/// and a known ingest key. Extra settings and service changes come through the constructor.
/// Sign-in stays on (the default BrowserToken mode); <see cref="WebApplicationFactory{T}.CreateClient()"/> sends the
/// configured API key as a Bearer header so API tests need not sign in, and <see cref="CreateSignedInClientAsync"/>
/// signs a browser-like client in for pages.
/// </summary>
public sealed class DashboardFactory : WebApplicationFactory<Program>
{
    public const string Key = "test-ingest-key-0123456789abcdef";
    public const string ApiKey = "test-api-key-fedcba9876543210";

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDataFolder;

    /// <param name="dataFolder">An existing data folder to start on (a restart test); the caller deletes it. One host
    /// at a time per folder: dispose the previous factory first.</param>
    public DashboardFactory(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        string? dataFolder = null)
    {
        _ownsDataFolder = dataFolder is null;
        DataFolder = dataFolder ?? NewDataFolder();
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;
    }

    public string DataFolder { get; }

    public static string NewDataFolder() => Path.Combine(Path.GetTempPath(), "dynodash-tests", Guid.NewGuid().ToString("N"));

    public IngestionCounters Counters => Services.GetRequiredService<IngestionCounters>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Path", Path.Combine(DataFolder, "dynodash.db"));
        builder.UseSetting("Ingest:Key", Key);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Dashboard:ApiKeys:0", ApiKey);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    /// <summary>A client is handed out as an operator's load balancer would send traffic, once <c>/healthz</c> is
    /// ready: history's store reached and the live store seeded from it (at once for LiteDB; a PostgreSQL database is
    /// reached in the background).</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        Services.GetRequiredService<HistoryWriter>().Ready.WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    /// <summary>A client with no credentials at all (no API key, no cookie).</summary>
    public HttpClient CreateAnonymousClient(WebApplicationFactoryClientOptions? options = null)
    {
        var client = CreateClient(options ?? new WebApplicationFactoryClientOptions());
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>The BrowserToken-mode sign-in token the server made in the data folder.</summary>
    public string LoginToken()
    {
        _ = Services; // starts the host, which makes the token
        return File.ReadAllText(Path.Combine(DataFolder, DynoDashboard.Web.Security.LoginToken.FileName)).Trim();
    }

    /// <summary>A cookie-keeping client signed in through the start-up link (<c>/login?t=TOKEN</c>), as a browser would.</summary>
    public async Task<HttpClient> CreateSignedInClientAsync()
    {
        var client = CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync(new Uri($"/login?t={LoginToken()}", UriKind.Relative));
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
        }

        return client;
    }

    /// <summary>A client that sends the ingest key as Heroku does: the password of Basic auth.</summary>
    public HttpClient CreateDrainClient(string key = Key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"token:{key}")));
        return client;
    }

    /// <summary>Posts a Logplex body and waits until the ingestion service has processed it.</summary>
    public async Task<HttpResponseMessage> PostLogplexAndWaitAsync(string app, LogplexBody body, string? frameId = null)
    {
        using var client = CreateDrainClient();
        var response = await client.SendAsync(body.ToRequest(app, frameId));
        if (response.StatusCode == System.Net.HttpStatusCode.NoContent)
        {
            // Wait for everything queued so far, ours included: the queue is FIFO, and batches posted earlier (a bad-input
            // corpus, say) may still be waiting, so "one more than before" could be somebody else's batch.
            var status = Counters.Snapshot(0, 0);
            await Counters.WaitForProcessedAsync(status.BatchesReceived - status.Rejections.QueueFull).WaitAsync(TimeSpan.FromSeconds(20));
        }

        return response;
    }

    /// <summary>Waits until the history writer has written everything it accepted (at least one fact).</summary>
    public async Task WaitUntilHistoryWrittenAsync()
    {
        var writer = Services.GetRequiredService<HistoryWriter>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (writer.Status() is var s && (s.AcceptedFacts == 0 || s.WrittenFacts < s.AcceptedFacts))
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataFolder && Directory.Exists(DataFolder))
        {
            Directory.Delete(DataFolder, recursive: true);
        }
    }
}
