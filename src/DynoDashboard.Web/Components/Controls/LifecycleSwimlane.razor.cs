using System.Globalization;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>
/// Per dyno, on the page's time axis: its incarnations (the <c>dyno=</c> ids) as bars, and state changes, restarts,
/// crashes, exits with status and R errors as marks; deploys and releases as lines across every lane. It reads the
/// live store itself so that a page adds it with one line; the page's re-render on new data refreshes it.
/// </summary>
public sealed partial class LifecycleSwimlane : ComponentBase
{
    /// <summary>A swapping dyno logs R14 every 20 s; beyond this many marks a lane is a smear, so the newest are kept.</summary>
    internal const int MaxMarksPerLane = 120;

    /// <summary>
    /// The fleet page shows this many lanes until "show all" is pressed. Every lane is markup that a circuit keeps for
    /// as long as the page is open, and a hundred of them were the largest render tree of the 100-dyno fleet page
    /// (docs/perf.md, memory per circuit); past a screenful they were not readable side by side anyway.
    /// </summary>
    internal const int MaxLanes = 20;

    private static readonly HashSet<DynoEventKind> s_releaseKinds = [DynoEventKind.Deploy, DynoEventKind.Release];

    // Router and logplex errors have the errors page; the memory line always comes with an R14 that is marked already.
    private static readonly HashSet<DynoEventKind> s_laneKinds =
    [
        DynoEventKind.RuntimeError, DynoEventKind.StateChanged, DynoEventKind.Starting, DynoEventKind.Restarting,
        DynoEventKind.Cycling, DynoEventKind.Stopping, DynoEventKind.Killed, DynoEventKind.Exited, DynoEventKind.Hangup,
    ];

    private IReadOnlyList<Lane> _lanes = [];
    private IReadOnlyList<Mark> _releases = [];
    private bool _showAll;
    private int _hiddenLanes;

    [Inject]
    public required LiveStore Store { get; init; }

    [Parameter, EditorRequired]
    public required string App { get; set; }

    /// <summary>One dyno (the dyno page); every dyno of the app when null (the fleet page).</summary>
    [Parameter]
    public string? Dyno { get; set; }

    [Parameter, EditorRequired]
    public required DateTimeOffset From { get; set; }

    [Parameter, EditorRequired]
    public required DateTimeOffset To { get; set; }

    protected override void OnParametersSet() => Build();

    private void ToggleShowAll()
    {
        _showAll = !_showAll;
        Build();
    }

    private void Build()
    {
        var events = (Store.GetEvents(App, null, null, int.MaxValue) ?? [])
            .Where(e => e.Time >= From && e.Time <= To)
            .ToList();
        _releases = [.. events.Where(e => e.Dyno is null && s_releaseKinds.Contains(e.Kind)).OrderBy(e => e.Time).Select(ToMark)];
        var laneEvents = events.Where(e => e.Dyno is not null && s_laneKinds.Contains(e.Kind)).ToLookup(e => e.Dyno!.Value);

        List<DynoSnapshot> dynos =
        [
            .. (Store.GetDynos(App) ?? [])
                .Where(d => Dyno is null || d.Name.Value == Dyno)
                .OrderBy(d => d.ProcessType, StringComparer.Ordinal)
                .ThenBy(d => d.Name.Value.Length)
                .ThenBy(d => d.Name.Value, StringComparer.Ordinal),
        ];
        var shown = _showAll || dynos.Count <= MaxLanes ? dynos : Capped(dynos, laneEvents);
        _hiddenLanes = dynos.Count - shown.Count;
        _lanes =
        [
            .. shown.Select(dyno =>
            {
                var incarnations = InWindow(dyno)
                    .OrderBy(i => i.FirstSeen)
                    .Select((i, index) => ToBar(i, index))
                    .ToList();
                var marks = laneEvents[dyno.Name]
                    .OrderByDescending(e => e.Time)
                    .Take(MaxMarksPerLane)
                    .OrderBy(e => e.Time)
                    .Select(ToMark)
                    .ToList();
                var summary = string.Create(CultureInfo.InvariantCulture,
                    $"{dyno.Name.Value}: {incarnations.Count} incarnation(s), {marks.Count} lifecycle event(s) in this window.");
                return new Lane(dyno.Name.Value, incarnations, marks, summary);
            }),
        ];
    }

    /// <summary>
    /// <see cref="MaxLanes"/> lanes, in the usual order: dynos with lifecycle events or a restart in the window first,
    /// because those are what the swimlane is for; the rest fill up the lanes left.
    /// </summary>
    private List<DynoSnapshot> Capped(List<DynoSnapshot> dynos, ILookup<DynoName, DynoEvent> laneEvents)
    {
        var kept = dynos
            .OrderBy(d => laneEvents.Contains(d.Name) || InWindow(d).Skip(1).Any() ? 0 : 1)
            .Take(MaxLanes)
            .Select(d => d.Name)
            .ToHashSet();
        return [.. dynos.Where(d => kept.Contains(d.Name))];
    }

    private IEnumerable<DynoIncarnation> InWindow(DynoSnapshot dyno) =>
        dyno.Incarnations.Where(i => i.LastSeen >= From && i.FirstSeen <= To);

    private Bar ToBar(DynoIncarnation incarnation, int index)
    {
        var start = incarnation.FirstSeen < From ? From : incarnation.FirstSeen;
        var end = incarnation.LastSeen > To ? To : incarnation.LastSeen;
        var title = $"{incarnation.Id}: {Formats.Time(incarnation.FirstSeen)}–{Formats.Time(incarnation.LastSeen)}";
        // At least a sliver, so a run seen once is still visible.
        return new Bar(incarnation.Id, index, Percent(Share(start)), Percent(Math.Max(Share(end) - Share(start), 0.004)), title);
    }

    private Mark ToMark(DynoEvent dynoEvent)
    {
        var label = dynoEvent.Kind == DynoEventKind.Exited && dynoEvent.ExitStatus is { } status
            ? string.Create(CultureInfo.InvariantCulture, $"exit {status}")
            : EventMarkers.LabelOf(dynoEvent);
        var isError = dynoEvent.Code is not null || dynoEvent.ToState == "crashed" || dynoEvent.ExitStatus is > 0;
        return new Mark(Percent(Share(dynoEvent.Time)), label, $"{Formats.Time(dynoEvent.Time)} {label}: {dynoEvent.Description}", isError);
    }

    private double Share(DateTimeOffset time) => To <= From ? 0 : Math.Clamp((time - From) / (To - From), 0, 1);

    private static string Percent(double share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:0.##}%");

    private sealed record Lane(string Dyno, IReadOnlyList<Bar> Incarnations, IReadOnlyList<Mark> Marks, string Summary);

    private sealed record Bar(string Id, int Index, string Left, string Width, string Title);

    private sealed record Mark(string Left, string Label, string Title, bool IsError);
}
