using System.Net;
using System.Net.Http.Json;

namespace DynoDashboard.Web.Tests.Api;

/// <summary>Rename and delete through the API, checked after a restart so the history moved or went too.</summary>
public sealed class AppAdminApiTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(12);
    private readonly string _folder = DashboardFactory.NewDataFolder();

    private static LogplexBody Traffic() => new LogplexBody()
        .Runtime(s_t0, "web.1", 0.5, 300, swapMb: 0)
        .Router(s_t0, "web.1", 500, code: "H13", desc: "Connection closed without response");

    private static async Task<string> AppsAsync(DashboardFactory factory)
    {
        using var client = factory.CreateClient();
        return await client.GetStringAsync(new Uri("/api/apps", UriKind.Relative));
    }

    [Fact]
    public async Task Rename_KnownApp_MovesLiveDataAndHistory()
    {
        using (var first = new DashboardFactory(dataFolder: _folder))
        {
            await first.PostLogplexAndWaitAsync("old-shop", Traffic());
            using var client = first.CreateClient();

            var response = await client.PostAsJsonAsync(new Uri("/api/apps/old-shop/rename", UriKind.Relative), new { newName = "shop" });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"shop\"", await AppsAsync(first), StringComparison.Ordinal);
            Assert.DoesNotContain("old-shop", await AppsAsync(first), StringComparison.Ordinal);
        }

        using var second = new DashboardFactory(dataFolder: _folder);
        using var again = second.CreateClient();
        var events = await again.GetStringAsync(new Uri("/api/apps/shop/events", UriKind.Relative));
        var old = await again.GetAsync(new Uri("/api/apps/old-shop/events", UriKind.Relative));

        Assert.Contains("H13", events, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task Delete_KnownApp_RemovesLiveDataAndHistory_OtherAppsStay()
    {
        using (var first = new DashboardFactory(dataFolder: _folder))
        {
            await first.PostLogplexAndWaitAsync("gone", Traffic());
            await first.PostLogplexAndWaitAsync("kept", Traffic());
            using var client = first.CreateClient();

            var response = await client.DeleteAsync(new Uri("/api/apps/gone", UriKind.Relative));
            var twice = await client.DeleteAsync(new Uri("/api/apps/gone", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
            Assert.Null(first.Counters.GetApp("gone"));
            Assert.NotNull(first.Counters.GetApp("kept"));
        }

        using var second = new DashboardFactory(dataFolder: _folder);
        using var again = second.CreateClient();
        var gone = await again.GetAsync(new Uri("/api/apps/gone/events", UriKind.Relative));
        var kept = await again.GetStringAsync(new Uri("/api/apps/kept/events", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("H13", kept, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("taken", HttpStatusCode.Conflict)]
    [InlineData("Not Valid", HttpStatusCode.BadRequest)]
    public async Task Rename_TakenOrInvalidName_IsRefusedAndNothingMoves(string newName, HttpStatusCode expected)
    {
        using var factory = new DashboardFactory(dataFolder: _folder);
        await factory.PostLogplexAndWaitAsync("source", Traffic());
        await factory.PostLogplexAndWaitAsync("taken", Traffic());
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync(new Uri("/api/apps/source/rename", UriKind.Relative), new { newName });

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"source\"", await AppsAsync(factory), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenameAndDelete_UnknownApp_Are404()
    {
        using var factory = new DashboardFactory(dataFolder: _folder);
        using var client = factory.CreateClient();

        var rename = await client.PostAsJsonAsync(new Uri("/api/apps/nope/rename", UriKind.Relative), new { newName = "other" });
        var delete = await client.DeleteAsync(new Uri("/api/apps/nope", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
