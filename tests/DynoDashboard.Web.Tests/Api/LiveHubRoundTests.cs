using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Api;

/// <summary>
/// The hub over real Kestrel and WebSockets, as the fan-out clients use it: when several changes land in one 250-ms
/// round of the feed, the round carries all of them, not only each dyno's newest.
/// </summary>
public sealed class LiveHubRoundTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    private readonly DashboardFactory _factory = new();
    private LiveHubClient _client = null!;

    public async Task InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        var root = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new LiveHubClient(new Uri(root.TrimEnd('/') + "/"), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true; // as the fan-out tool connects
        });
        await _client.Connection.StartAsync();
    }

    [Fact]
    public async Task TwoSamplesOfOneDyno_InOneRound_ClientReceivesBothOldestFirst()
    {
        await SubscribeAfterAsync(new LogplexBody().Runtime(s_t0, "web.1", 0.10, 300, 0), "samples");

        // One body is one batch and so one round of the feed: the coalescing window holds both samples for certain.
        await _factory.PostLogplexAndWaitAsync("shop", new LogplexBody()
            .Runtime(s_t0.AddSeconds(20), "web.1", 0.21, 300, 0)
            .Runtime(s_t0.AddSeconds(40), "web.1", 0.22, 300, 0));

        var loads = await CollectAsync("samples", 2, d => d.GetProperty("load1m").GetDouble());
        Assert.Equal([0.21, 0.22], loads);
    }

    [Fact]
    public async Task TwoPostsBackToBack_EveryUpdateArrives()
    {
        await SubscribeAfterAsync(new LogplexBody().Runtime(s_t0, "web.1", 0.10, 300, 0), "samples");

        // The first post starts a round at once; the next ones fall inside its 250-ms window and share the trailing round.
        for (var i = 1; i <= 3; i++)
        {
            await _factory.PostLogplexAndWaitAsync("shop", new LogplexBody().Runtime(s_t0.AddSeconds(20 * i), "web.1", 0.20 + i / 100.0, 300, 0));
        }

        var loads = await CollectAsync("samples", 3, d => d.GetProperty("load1m").GetDouble());
        Assert.Equal([0.21, 0.22, 0.23], loads);
    }

    [Fact]
    public async Task SecondHalfOfAReading_InALaterRound_SampleSentAgainWhole()
    {
        await SubscribeAfterAsync(new LogplexBody().Runtime(s_t0, "web.1", 0.10, 300, 0), "samples");
        var t = s_t0.AddSeconds(20);
        await _factory.PostLogplexAndWaitAsync("shop", new LogplexBody().Add(134, t, "heroku", "web.1",
            "source=web.1 dyno=heroku.1.a sample#load_avg_1m=0.30 sample#load_avg_5m=0.30 sample#load_avg_15m=0.30"));
        var loadHalf = await NextAsync("samples");
        Assert.Equal(JsonValueKind.Null, loadHalf[0].GetProperty("memoryRssMb").ValueKind);

        await _factory.PostLogplexAndWaitAsync("shop", new LogplexBody().Add(134, t, "heroku", "web.1",
            "source=web.1 dyno=heroku.1.a sample#memory_total=320.00MB sample#memory_rss=310.00MB"));

        var whole = (await NextAsync("samples"))[0];
        Assert.Equal(310, whole.GetProperty("memoryRssMb").GetDouble());
        Assert.Equal(0.30, whole.GetProperty("load1m").GetDouble());
        Assert.Equal(t, whole.GetProperty("sampleTime").GetDateTimeOffset());
    }

    [Fact]
    public async Task RequestsInTwoBuckets_InOneRound_BothRollupsSent()
    {
        await SubscribeAfterAsync(new LogplexBody().Router(s_t0, "web.1"), "rollups");

        // The old bucket grows and a new one starts, in one batch.
        await _factory.PostLogplexAndWaitAsync("shop", new LogplexBody()
            .Router(s_t0.AddSeconds(5), "web.1")
            .Router(s_t0.AddSeconds(12), "web.1"));

        var rollups = await CollectAsync("rollups", 2, r => (r.GetProperty("start").GetDateTimeOffset(), r.GetProperty("requests").GetInt32()));
        Assert.Equal([(s_t0, 2), (s_t0.AddSeconds(10), 1)], rollups);
    }

    [Fact]
    public async Task EventWithTheSameTimeAsOneSent_InALaterRound_StillSent()
    {
        var h12 = new LogplexBody().Router(s_t0, "web.1", status: 503, serviceMs: 30_000, code: "H12", desc: "Request timeout");
        await SubscribeAfterAsync(h12, "events");

        await _factory.PostLogplexAndWaitAsync("shop",
            new LogplexBody().Router(s_t0, "web.1", status: 503, serviceMs: 30_000, code: "H13", desc: "Connection closed without response"));

        var events = await NextAsync("events");
        Assert.Equal("H13", Assert.Single(events.EnumerateArray()).GetProperty("code").GetString());
    }

    /// <summary>Posts <paramref name="initial"/>, subscribes, and reads the subscribe-time state up to its <paramref name="kind"/>.</summary>
    private async Task SubscribeAfterAsync(LogplexBody initial, string kind)
    {
        await _factory.PostLogplexAndWaitAsync("shop", initial);
        await _client.Connection.InvokeAsync("Subscribe", "shop");
        await NextAsync(kind);
    }

    private Task<JsonElement> NextAsync(string kind) => _client.NextAsync(kind);

    private Task<List<T>> CollectAsync<T>(string kind, int count, Func<JsonElement, T> select) => _client.CollectAsync(kind, count, select);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    public void Dispose() => _factory.Dispose();
}
