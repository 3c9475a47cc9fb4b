using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using static DynoDashboard.Core.Tests.Live.TestLines;

namespace DynoDashboard.Core.Tests.Live;

/// <summary>The reads a live cursor uses to send every change once: samples since a time, events since a number.</summary>
public sealed class LiveStoreNewsTests
{
    private static readonly DynoName s_web1 = new("web.1");

    [Fact]
    public void GetSamples_FromATime_ThatSampleAndNewerOldestFirstNewestKeptUnderTheLimit()
    {
        var store = new LiveStore(new LiveStoreOptions());
        for (var i = 0; i < 5; i++)
        {
            Load(store.GetWriter("app"), T0.AddSeconds(20 * i), "web.1", i);
        }

        Assert.Equal([2.0, 3, 4], store.GetSamples("app", s_web1, T0.AddSeconds(40), 10)!.Select(s => s.Load1m));
        Assert.Equal([3.0, 4], store.GetSamples("app", s_web1, T0, 2)!.Select(s => s.Load1m));
        Assert.Empty(store.GetSamples("app", s_web1, T0.AddHours(1), 10)!);
        Assert.Null(store.GetSamples("app", new DynoName("web.9"), T0, 10));
        Assert.Null(store.GetSamples("nope", s_web1, T0, 10));
    }

    [Fact]
    public void GetEventsAfter_SameTimestamps_NumberedByArrivalNotTime()
    {
        var store = new LiveStore(new LiveStoreOptions());
        var writer = store.GetWriter("app");
        Router(writer, T0, "web.1", status: 503, code: H12);
        var first = store.GetEventsAfter("app", 0, 10)!;
        Router(writer, T0, "web.1", status: 503, code: H13);
        Router(writer, T0.AddSeconds(-30), "web.1", status: 503, code: H12); // late, but new to a reader

        var next = store.GetEventsAfter("app", first.Newest, 10)!;

        Assert.Equal(1, first.Newest);
        Assert.Equal(3, next.Newest);
        Assert.Equal(["H13", "H12"], next.Events.Select(e => e.Code!.Code));
        Assert.Empty(store.GetEventsAfter("app", next.Newest, 10)!.Events);
        Assert.Null(store.GetEventsAfter("nope", 0, 10));
    }

    [Fact]
    public void GetEventsAfter_MoreThanTheBufferOrTheLimit_NewestKeptAndANumberPastTheEndStartsOver()
    {
        var store = new LiveStore(new LiveStoreOptions { EventsPerApp = 3 });
        var writer = store.GetWriter("app");
        for (var i = 0; i < 5; i++)
        {
            Router(writer, T0.AddSeconds(i), "web.1", status: 503, code: H12);
        }

        Assert.Equal([T0.AddSeconds(2), T0.AddSeconds(3), T0.AddSeconds(4)], store.GetEventsAfter("app", 0, 10)!.Events.Select(e => e.Time));
        Assert.Equal([T0.AddSeconds(4)], store.GetEventsAfter("app", 0, 1)!.Events.Select(e => e.Time));
        Assert.Equal(3, store.GetEventsAfter("app", 99, 10)!.Events.Count);
    }
}
