using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using DynoDashboard.Web.Api;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>
/// A known stream of runtime readings for durability tests: batch n holds readings n×10 … n×10+9 of web.1 (the
/// memory_rss value is the reading number), 20 s apart from <see cref="Start"/>, each batch with its own
/// <c>Logplex-Frame-Id</c>. Only batches the drain answered 204 count as accepted; afterwards the series read back
/// from the app shows whether every accepted reading is stored, once, in order.
/// </summary>
internal sealed class ReadingStream(string app)
{
    public const int ReadingsPerBatch = 10;

    // Recent times, so the retention sweep at start keeps them whatever day the suite runs.
    public DateTimeOffset Start { get; } = new(DateTimeOffset.UtcNow.AddHours(-3).UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);

    public List<int> Accepted { get; } = [];

    public int Next { get; private set; }

    /// <summary>Posts batch <paramref name="batch"/> once and returns the drain's answer; a 204 marks it accepted.</summary>
    public async Task<HttpStatusCode> PostOnceAsync(HttpClient drain, int batch)
    {
        var body = new LogplexBody();
        for (var i = 0; i < ReadingsPerBatch; i++)
        {
            var reading = (batch * ReadingsPerBatch) + i;
            body.Runtime(Start.AddSeconds(20 * reading), "web.1", load1m: 0.5, rssMb: reading, swapMb: 0);
        }

        using var request = body.ToRequest(app, frameId: $"{app}-{batch}");
        using var response = await drain.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            lock (Accepted)
            {
                Accepted.Add(batch);
            }
        }

        return response.StatusCode;
    }

    /// <summary>Posts the next batch, retrying a 503 as Logplex would (shortened), until it is accepted.</summary>
    public async Task PostNextAsync(HttpClient drain, TimeSpan? deadline = null)
    {
        var batch = Next++;
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(60));
        await PostUntilAcceptedAsync(drain, batch, timeout.Token);
    }

    /// <summary>Takes the next batch number without posting (the caller posts it with <see cref="PostOnceAsync"/>).</summary>
    public int TakeNext() => Next++;

    public async Task PostUntilAcceptedAsync(HttpClient drain, int batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await PostOnceAsync(drain, batch);
            if (status == HttpStatusCode.NoContent)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken); // Logplex's retry, shortened
        }
    }

    /// <summary>The stored readings of web.1, from history and live, oldest first.</summary>
    public async Task<List<int>> ReadingsAsync(HttpClient api)
    {
        var from = Start.ToString("O", CultureInfo.InvariantCulture);
        var series = await api.GetFromJsonAsync<SeriesResponse>(
            $"/api/apps/{app}/dynos/web.1/series?metric=memory_rss&maxPoints=100000&from={Uri.EscapeDataString(from)}");
        return [.. series!.Points.Select(p => (int)p.V)];
    }

    /// <summary>Every accepted batch's readings are stored, each once, in order. Returns the stored readings.</summary>
    public async Task<List<int>> AssertAllAcceptedStoredAsync(HttpClient api, string context)
    {
        var values = await ReadingsAsync(api);
        Assert.Equal(values.Order(), values);
        Assert.Equal(values.Distinct().Count(), values.Count);
        var stored = values.Select(v => v / ReadingsPerBatch).ToHashSet();
        List<int> accepted;
        lock (Accepted)
        {
            accepted = [.. Accepted];
        }

        Assert.True(stored.IsSupersetOf(accepted),
            $"{context}: missing batches {string.Join(",", accepted.Except(stored))} of {accepted.Count} accepted");
        return values;
    }
}
