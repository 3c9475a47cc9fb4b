using DynoDashboard.Core.Live;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>One line of a time-series chart: a name (the dyno, or the metric) and its raw points.</summary>
public sealed record ChartLine(string Name, IReadOnlyList<SeriesPoint> Points);

/// <summary>One series of a bar chart: a value per category (per dyno).</summary>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values);

/// <summary>How a time-series chart draws: a full chart, or a row's sparkline (no axes, legend or tooltip).</summary>
public enum ChartKind
{
    Line,
    Sparkline,
}
