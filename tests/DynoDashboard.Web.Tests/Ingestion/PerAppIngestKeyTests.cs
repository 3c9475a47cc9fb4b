using System.Net;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace DynoDashboard.Web.Tests.Ingestion;

public sealed class PerAppIngestKeyTests : IDisposable
{
    private const string ShopKey = "shop-only-key-0123456789abcdef";
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);

    private readonly DashboardFactory _factory = new(new Dictionary<string, string?> { ["Ingest:Apps:shop:Key"] = ShopKey });

    [Fact]
    public async Task Post_AppWithOwnKey_AcceptsItsOwnKey()
    {
        using var client = _factory.CreateDrainClient(ShopKey);

        var response = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("shop"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Post_AppWithOwnKey_RejectsTheGlobalKey()
    {
        using var client = _factory.CreateDrainClient(DashboardFactory.Key);

        var response = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("shop"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_OtherApp_RejectsAnotherAppsKey_AcceptsTheGlobalKey()
    {
        using var shopKey = _factory.CreateDrainClient(ShopKey);
        using var globalKey = _factory.CreateDrainClient(DashboardFactory.Key);

        var rejected = await shopKey.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("blog"));
        var accepted = await globalKey.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("blog"));

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
    }

    [Fact]
    public void ValueFor_GivesEachAppTheKeyItsDrainUrlNeeds()
    {
        var key = _factory.Services.GetRequiredService<IngestKey>();

        Assert.Equal(ShopKey, key.ValueFor("shop"));
        Assert.Equal(DashboardFactory.Key, key.ValueFor("blog"));
        Assert.True(key.HasOwnKey("shop"));
        Assert.False(key.HasOwnKey("blog"));
    }

    [Theory]
    [InlineData("Shop", "0123456789abcdef0123", "Ingest:Apps:Shop is not a Heroku app name")]
    [InlineData("shop", "short", "Ingest:Apps:shop:Key must be at least 16 characters")]
    [InlineData("shop", "has:colon-0123456789", "Ingest:Apps:shop:Key must be at least 16 characters")]
    public void Validate_BadPerAppSetting_NamesTheSetting_WithoutEchoingTheKey(string app, string appKey, string expected)
    {
        var options = new IngestOptions { Apps = { [app] = new IngestAppOptions { Key = appKey } } };

        var result = new IngestOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains(appKey, StringComparison.Ordinal));
    }

    public void Dispose() => _factory.Dispose();
}
