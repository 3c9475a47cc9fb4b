using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

public sealed class HistorySeederTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private readonly TempHistoryFile _file = new();

    [Fact]
    public void Seed_FreshStoreFromHistory_ShowsTheSameDynosSeriesRollupsAndEvents()
    {
        var options = new LiveStoreOptions();
        var before = new LiveStore(options);
        using (var history = _file.Open())
        {
            history.Write([LiteDbHistoryStoreTests.Batch("myapp", Traffic, before)]);
        }

        var after = new LiveStore(options);
        using (var history = _file.Open())
        {
            var counts = HistorySeeder.Seed(history, after, options);
            Assert.True(counts.Samples > 0 && counts.Rollups > 0 && counts.Events > 0 && counts.Lines > 0, counts.ToString());
        }

        var expected = before.GetDynos("myapp")!;
        var actual = after.GetDynos("myapp")!;
        Assert.Equal(expected.Select(Comparable), actual.Select(Comparable));
        foreach (var dyno in expected)
        {
            Assert.Equal(
                before.GetSeries("myapp", dyno.Name, RuntimeMetric.MemoryRss, DateTimeOffset.MinValue, DateTimeOffset.MaxValue),
                after.GetSeries("myapp", dyno.Name, RuntimeMetric.MemoryRss, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
            Assert.Equal(P95(before, dyno.Name), P95(after, dyno.Name));
        }

        Assert.Equal(P95(before, DynoName.NoDyno), P95(after, DynoName.NoDyno));
        // Re-seeded events are in time order; live ones were in arrival order (here the two differ on purpose).
        Assert.Equal(Events(before), Events(after));
        Assert.Equal(before.GetApps()[0].LastSeen, after.GetApps()[0].LastSeen);
        Assert.Contains(after.GetRecentLines("myapp", 100)!, l => l is { Kind: LineKind.App, Message: "booted" });
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Two dynos over 10 minutes: readings every 20 s, a restart of web.2, requests, errors, app output.</summary>
    private static void Traffic(IHerokuLineSink sink)
    {
        for (var i = 0; i < 30; i++)
        {
            var time = s_t0.AddSeconds(20 * i);
            TestLines.Load(sink, time, "web.1", 0.1 * i);
            TestLines.Memory(sink, time, "web.1", 200 + i);
            TestLines.Load(sink, time, "web.2", 1, incarnation: i < 15 ? "heroku.1.old" : "heroku.1.new");
            TestLines.Memory(sink, time, "web.2", 300, incarnation: i < 15 ? "heroku.1.old" : "heroku.1.new");
            TestLines.Router(sink, time.AddSeconds(3), "web.1", service: 10 + i);
            TestLines.Router(sink, time.AddSeconds(7), "web.2", status: i % 5 == 0 ? 503 : 200, service: i % 5 == 0 ? 30000 : 50,
                code: i % 5 == 0 ? TestLines.H12 : null);
        }

        TestLines.Router(sink, s_t0.AddSeconds(100), null, status: 503, code: TestLines.H10);
        sink.OnDynoEvent(TestLines.StateChanged(s_t0.AddSeconds(300), "web.2", "up", "starting"));
        TestLines.App(sink, s_t0.AddSeconds(301), "web.2", "booted");
    }

    private static object Comparable(DynoSnapshot d) => new
    {
        d.Name,
        d.Incarnation,
        d.IncarnationSince,
        d.LastSeen,
        d.State,
        d.Latest,
        d.RequestsLastHour,
        d.ErrorsLastHour,
        Codes = string.Join(",", d.ErrorsByCode.OrderBy(c => c.Key, StringComparer.Ordinal)),
        Incarnations = string.Join(",", d.Incarnations),
    };

    private static IEnumerable<(DateTimeOffset, DynoEventKind, string?, DynoName?, string)> Events(LiveStore store) =>
        store.GetEvents("myapp", null, null, 100)!.Select(e => (e.Time, e.Kind, e.Code?.Code, e.Dyno, e.Message)).Order();

    private static (int Requests, double P95) P95(LiveStore store, DynoName dyno)
    {
        var merged = RouterRollupSnapshot.Merge(DateTimeOffset.MinValue, DateTimeOffset.MaxValue,
            store.GetRollups("myapp", dyno, DateTimeOffset.MinValue, DateTimeOffset.MaxValue) ?? []);
        return (merged.Requests, merged.Service.Percentile(95));
    }
}
