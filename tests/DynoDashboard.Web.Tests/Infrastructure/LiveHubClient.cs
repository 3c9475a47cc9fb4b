using System.Text.Json;
using System.Threading.Channels;
using DynoDashboard.Web.Api;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>
/// A SignalR client of <c>/hubs/live</c> that queues every <c>samples</c>, <c>rollups</c> and <c>events</c> message, so a
/// test awaits the next one of a kind with a timeout instead of sleeping.
/// </summary>
public sealed class LiveHubClient : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly Channel<(string Kind, JsonElement Payload)> _messages = Channel.CreateUnbounded<(string, JsonElement)>();

    /// <param name="root">The server's root address.</param>
    /// <param name="transport">The transport and handler to use; the API key is added here (the hub sits behind sign-in like /api).</param>
    public LiveHubClient(Uri root, Action<HttpConnectionOptions> transport)
    {
        Connection = new HubConnectionBuilder()
            .WithUrl(new Uri(root, LiveHub.Path.TrimStart('/')), o =>
            {
                transport(o);
                o.AccessTokenProvider = () => Task.FromResult<string?>(DashboardFactory.ApiKey);
            })
            .Build();
        foreach (var kind in new[] { "samples", "rollups", "events" })
        {
            Connection.On<string, JsonElement>(kind, (_, payload) => _messages.Writer.TryWrite((kind, payload)));
        }
    }

    public HubConnection Connection { get; }

    /// <summary>The next message of <paramref name="kind"/> (that <paramref name="match"/> accepts), skipping others.</summary>
    public async Task<JsonElement> NextAsync(string kind, Func<JsonElement, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        while (true)
        {
            var (got, payload) = await _messages.Reader.ReadAsync(timeout.Token);
            if (got == kind && (match is null || match(payload)))
            {
                return payload;
            }
        }
    }

    /// <summary>The items of <paramref name="kind"/> messages, in arrival order, until there are <paramref name="count"/>.</summary>
    public async Task<List<T>> CollectAsync<T>(string kind, int count, Func<JsonElement, T> select)
    {
        var items = new List<T>();
        while (items.Count < count)
        {
            items.AddRange((await NextAsync(kind)).EnumerateArray().Select(select));
        }

        return items;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
