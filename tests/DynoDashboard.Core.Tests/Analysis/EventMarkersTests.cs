using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Model;
using static DynoDashboard.Core.Tests.Live.TestLines;

namespace DynoDashboard.Core.Tests.Analysis;

public sealed class EventMarkersTests
{
    private static DynoEvent Event(int seconds, DynoEventKind kind, ErrorCodeInfo? code = null, string? toState = null) => new()
    {
        Time = T0.AddSeconds(seconds),
        Dyno = new DynoName("web.2"),
        Kind = kind,
        Code = code,
        ToState = toState,
        Description = "d",
        Message = "m",
    };

    [Fact]
    public void Thin_ManyErrorsInOneSlot_OneMarkerWithCount()
    {
        var events = Enumerable.Range(0, 30).Select(i => Event(i, DynoEventKind.RouterError, H12))
            .Append(Event(5, DynoEventKind.StateChanged, toState: "up"));

        var markers = EventMarkers.Thin(events, T0, T0.AddMinutes(60), 30);

        Assert.Equal([new EventMarker(T0, "H12 ×30", true), new EventMarker(T0.AddSeconds(5), "up", false)], markers);
    }

    [Fact]
    public void Thin_SameCodeInTwoSlots_TwoMarkers()
    {
        var markers = EventMarkers.Thin(
            [Event(0, DynoEventKind.RouterError, H12), Event(600, DynoEventKind.RouterError, H12)], T0, T0.AddMinutes(60), 30);

        Assert.Equal(["H12", "H12"], markers.Select(m => m.Label));
    }

    [Fact]
    public void Thin_OutsideWindow_Dropped() =>
        Assert.Empty(EventMarkers.Thin([Event(-10, DynoEventKind.Restarting)], T0, T0.AddMinutes(60), 30));

    [Theory]
    [InlineData(DynoEventKind.MemoryUsage, "mem")]
    [InlineData(DynoEventKind.Restarting, "restart")]
    [InlineData(DynoEventKind.Release, "release")]
    public void LabelOf_LifecycleKind_ShortWord(DynoEventKind kind, string expected) =>
        Assert.Equal(expected, EventMarkers.LabelOf(Event(0, kind)));

    [Theory]
    [InlineData(DynoEventKind.Deploy, true)]
    [InlineData(DynoEventKind.Release, true)]
    [InlineData(DynoEventKind.Build, false)]
    [InlineData(DynoEventKind.Restarting, false)]
    public void IsRollout_DeployAndReleaseOnly(DynoEventKind kind, bool expected) =>
        Assert.Equal(expected, EventMarkers.IsRollout(Event(0, kind)));
}
