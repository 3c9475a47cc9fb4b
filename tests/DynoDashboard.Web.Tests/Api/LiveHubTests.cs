using System.Text.Json;
using DynoDashboard.Web.Api;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Api;

public sealed class LiveHubTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    private readonly DashboardFactory _factory = new();
    private LiveHubClient _client = null!;
    private HubConnection _hub = null!;

    public async Task InitializeAsync()
    {
        _client = new LiveHubClient(_factory.Server.BaseAddress, o =>
        {
            o.HttpMessageHandlerFactory = _ => _factory.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
        });
        _hub = _client.Connection;
        await _hub.StartAsync();
    }

    private Task<JsonElement> NextAsync(string kind) => _client.NextAsync(kind);

    [Fact]
    public async Task Subscribe_AppWithData_CurrentStateAtOnce()
    {
        await _factory.PostLogplexAndWaitAsync("shop", new LogplexBody()
            .Runtime(s_t0, "web.1", 0.5, 300, 0)
            .Runtime(s_t0, "web.2", 2.5, 500, 120)
            .Router(s_t0, "web.2", status: 503, serviceMs: 30_000, code: "H12", desc: "Request timeout"));

        await _hub.InvokeAsync("Subscribe", "shop");

        var samples = await NextAsync("samples");
        Assert.Equal(["web.1", "web.2"], samples.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(120, samples[1].GetProperty("memorySwapMb").GetDouble());
        var rollups = await NextAsync("rollups");
        Assert.Equal(1, rollups.EnumerateArray().Single(r => r.GetProperty("dyno").GetString() == "web.2").GetProperty("errors").GetInt32());
        var events = await NextAsync("events");
        Assert.Equal("H12", events[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task NewSample_AfterSubscribe_OnlyTheChangedDynoIsSent()
    {
        await _factory.PostLogplexAndWaitAsync("shop", new LogplexBody()
            .Runtime(s_t0, "web.1", 0.5, 300, 0)
            .Runtime(s_t0, "web.2", 2.5, 500, 120));
        await _hub.InvokeAsync("Subscribe", "shop");
        await NextAsync("samples");

        await _factory.PostLogplexAndWaitAsync("shop", new LogplexBody().Runtime(s_t0.AddSeconds(20), "web.2", 2.7, 505, 140));

        var update = await NextAsync("samples");
        var dyno = Assert.Single(update.EnumerateArray());
        Assert.Equal("web.2", dyno.GetProperty("name").GetString());
        Assert.Equal(140, dyno.GetProperty("memorySwapMb").GetDouble());
    }

    [Fact]
    public async Task ManyEvents_InOneRound_AllSentOldestFirst()
    {
        await _factory.PostLogplexAndWaitAsync("shop", new LogplexBody().Runtime(s_t0, "web.2", 2.5, 500, 120));
        await _hub.InvokeAsync("Subscribe", "shop");
        await NextAsync("samples");
        var burst = new LogplexBody();
        for (var i = 1; i <= 40; i++)
        {
            burst.Router(s_t0.AddSeconds(i), "web.2", status: 503, serviceMs: 30_000, code: "H12", desc: "Request timeout");
        }

        await _factory.PostLogplexAndWaitAsync("shop", burst);

        var events = await NextAsync("events");
        Assert.Equal(40, events.GetArrayLength());
        Assert.True(events[0].GetProperty("time").GetDateTimeOffset() < events[39].GetProperty("time").GetDateTimeOffset());
    }

    [Fact]
    public async Task Subscribe_InvalidAppName_HubError()
    {
        var error = await Assert.ThrowsAsync<HubException>(() => _hub.InvokeAsync("Subscribe", "Not An App!"));

        Assert.Contains("lowercase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disconnect_LastWatcher_FeedSubscriptionEnds()
    {
        var subscriptions = _factory.Services.GetRequiredService<LiveHubSubscriptions>();
        await _hub.InvokeAsync("Subscribe", "shop");
        Assert.Equal(1, subscriptions.WatchedApps);

        await _hub.InvokeAsync("Unsubscribe", "shop");

        Assert.Equal(0, subscriptions.WatchedApps);
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    public void Dispose() => _factory.Dispose();
}
