using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

public sealed class DynoTimelineTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private static readonly DynoName s_web1 = new("web.1");
    private readonly TempHistoryFile _file = new();

    [Fact]
    public void GetSeries_RangeOlderThanTheLiveBuffer_StitchesHistoryAndLiveWithoutDuplicates()
    {
        // The live store keeps 10 readings; 30 were ingested and all reached history.
        var options = new LiveStoreOptions { RuntimeSamplesPerDyno = 10 };
        var live = new LiveStore(options);
        using var history = _file.Open();
        history.Write([LiteDbHistoryStoreTests.Batch("myapp", s => Readings(s, 30), live)]);
        var timeline = new DynoTimeline(live, history, options);

        var all = timeline.GetSeries("myapp", s_web1, RuntimeMetric.MemoryRss, s_t0, null)!;
        var few = timeline.GetSeries("myapp", s_web1, RuntimeMetric.MemoryRss, s_t0, null, maxPoints: 6)!;

        Assert.Equal(Enumerable.Range(0, 30).Select(i => 200.0 + i), all.Select(p => p.V));
        Assert.InRange(few.Count, 2, 6);
        Assert.Equal(200, few.Min(p => p.V));
        Assert.Equal(229, few.Max(p => p.V));
    }

    [Fact]
    public void GetSeries_LiveBufferCoversTheRange_AnswersWithoutHistory()
    {
        var options = new LiveStoreOptions();
        var live = new LiveStore(options);
        Readings(live.GetWriter("myapp"), 30);
        using var empty = _file.Open();
        var timeline = new DynoTimeline(live, empty, options);

        // History is empty, so only the live store can have answered.
        var points = timeline.GetSeries("myapp", s_web1, RuntimeMetric.MemoryRss, s_t0.AddMinutes(5), s_t0.AddMinutes(6))!;

        Assert.Equal([215.0, 216, 217, 218], points.Select(p => p.V));
        Assert.Null(timeline.GetSeries("myapp", new DynoName("web.9"), RuntimeMetric.MemoryRss, s_t0, null));
    }

    [Fact]
    public void GetEvents_MoreThanTheLiveBufferHolds_OlderOnesComeFromHistoryNewestFirst()
    {
        var options = new LiveStoreOptions { EventsPerApp = 5 };
        var live = new LiveStore(options);
        using var history = _file.Open();
        history.Write([LiteDbHistoryStoreTests.Batch("myapp", s =>
        {
            for (var i = 0; i < 12; i++)
            {
                TestLines.Router(s, s_t0.AddSeconds(i), "web.1", status: 503, code: TestLines.H12);
            }
        }, live)]);
        var timeline = new DynoTimeline(live, history, options);

        var events = timeline.GetEvents("myapp", null, "H12", null, null, 10);
        var ranged = timeline.GetEvents("myapp", s_web1, null, s_t0.AddSeconds(2), s_t0.AddSeconds(4), 10);

        Assert.Equal(Enumerable.Range(2, 10).Reverse().Select(i => s_t0.AddSeconds(i)), events.Select(e => e.Time));
        Assert.Equal([s_t0.AddSeconds(4), s_t0.AddSeconds(3), s_t0.AddSeconds(2)], ranged.Select(e => e.Time));
    }

    public void Dispose() => _file.Dispose();

    private static void Readings(IHerokuLineSink sink, int count)
    {
        for (var i = 0; i < count; i++)
        {
            TestLines.Memory(sink, s_t0.AddSeconds(20 * i), "web.1", 200 + i);
        }
    }
}
