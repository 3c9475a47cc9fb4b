using DynoDashboard.Core.Analysis;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>
/// A live time-series chart (or a row's sparkline): one line per <see cref="ChartLine"/>, each cut down on the
/// server to the plot's pixel width, with events as vertical markers and the memory quota as a line. The
/// caption says the same in words (latest and highest value per line).
/// </summary>
public sealed partial class TimeSeriesChart : ChartBase
{
    /// <summary>Markers beyond this crowd the plot; the newest are kept (the event list has them all).</summary>
    private const int MaxMarkers = 60;

    [Parameter, EditorRequired]
    public required string Title { get; set; }

    [Parameter, EditorRequired]
    public required IReadOnlyList<ChartLine> Lines { get; set; }

    [Parameter, EditorRequired]
    public required DateTimeOffset From { get; set; }

    [Parameter, EditorRequired]
    public required DateTimeOffset To { get; set; }

    [Parameter]
    public string Unit { get; set; } = string.Empty;

    [Parameter]
    public ChartKind Kind { get; set; } = ChartKind.Line;

    /// <summary>Drawn as a dashed horizontal line (the dyno's memory quota).</summary>
    [Parameter]
    public double? Quota { get; set; }

    [Parameter]
    public IReadOnlyList<EventMarker> Markers { get; set; } = [];

    /// <summary>Fixed series colours (e.g. status classes); the default palette otherwise.</summary>
    [Parameter]
    public IReadOnlyList<string> Colors { get; set; } = [];

    internal string Summary
    {
        get
        {
            var parts = Lines.Select(line => line.Points.Count == 0
                ? $"{line.Name}: no data"
                : string.Create(Invariant,
                    $"{line.Name}: {line.Points[^1].V:0.##} {Unit} now, max {line.Points.Max(p => p.V):0.##}"));
            var text = $"{Title}, last {(To - From).TotalMinutes:0} min. {string.Join("; ", parts)}.";
            return Markers.Count == 0 ? text : string.Create(Invariant, $"{text} Events marked: {string.Join(", ", Markers.Select(m => m.Label.Split(' ')[0]).Distinct())}.");
        }
    }

    protected override object BuildConfig() => new
    {
        kind = Kind == ChartKind.Sparkline ? "sparkline" : "line",
        height = Height,
        dark = DarkMode,
        unit = Unit,
        quota = Quota,
        colors = Colors,
        xMin = From.ToUnixTimeMilliseconds(),
        xMax = To.ToUnixTimeMilliseconds(),
        markers = MarkerPayload(),
    };

    protected override object[] BuildSeries() =>
    [
        .. Lines.Select(line => new
        {
            name = line.Name,
            data = MinMaxDownsampler.Downsample(line.Points, From, To, Math.Max(2, PlotWidth))
                .Select(p => new[] { p.T.ToUnixTimeMilliseconds(), Math.Round(p.V, 3) })
                .ToArray(),
        }),
    ];

    protected override string ShapeKey() =>
        $"{Kind}|{Quota}|{string.Join(",", Lines.Select(l => l.Name))}|{string.Join(",", Colors)}";

    protected override object?[] UpdateArguments() =>
        [From.ToUnixTimeMilliseconds(), To.ToUnixTimeMilliseconds(), MarkerPayload(), null];

    protected override string DataKey()
    {
        var lines = string.Join(",", Lines.Select(l => l.Points.Count == 0
            ? "0"
            : string.Create(Invariant, $"{l.Points.Count}:{l.Points[^1].T.UtcTicks}:{l.Points[^1].V}")));
        var newestMarker = Markers.Count > 0 ? Markers.Max(m => m.Time.UtcTicks) : 0;
        return string.Create(Invariant, $"{From.UtcTicks}|{To.UtcTicks}|{Markers.Count}|{newestMarker}|{lines}");
    }

    private object[] MarkerPayload() =>
    [
        .. Markers
            .Where(m => m.Time >= From && m.Time <= To)
            .OrderByDescending(m => m.Time)
            .Take(MaxMarkers)
            .Select(m => new
            {
                x = m.Time.ToUnixTimeMilliseconds(),
                label = m.Label,
                color = m.IsError ? "#e53935" : "#546e7a",
            }),
    ];
}
