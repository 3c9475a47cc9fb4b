using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>Bars per category (per dyno), one colour per <see cref="BarSeries"/>; the caption lists the values.</summary>
public sealed partial class BarChart : ChartBase
{
    [Parameter, EditorRequired]
    public required string Title { get; set; }

    [Parameter, EditorRequired]
    public required IReadOnlyList<string> Categories { get; set; }

    [Parameter, EditorRequired]
    public required IReadOnlyList<BarSeries> Series { get; set; }

    [Parameter]
    public string Unit { get; set; } = string.Empty;

    [Parameter]
    public IReadOnlyList<string> Colors { get; set; } = [];

    internal string Summary => $"{Title}. " + string.Join("; ", Series.Select(s =>
        $"{s.Name}: " + string.Join(", ", Categories.Select((c, i) =>
            string.Create(Invariant, $"{c} {Value(s, i):0.##}{(Unit.Length > 0 ? " " + Unit : "")}"))))) + ".";

    protected override object BuildConfig() => new
    {
        kind = "bar",
        height = Height,
        dark = DarkMode,
        unit = Unit,
        colors = Colors,
        categories = Categories,
    };

    protected override object[] BuildSeries() =>
    [
        .. Series.Select(s => new
        {
            name = s.Name,
            data = Categories.Select((_, i) => Math.Round(Value(s, i), 3)).ToArray(),
        }),
    ];

    protected override string ShapeKey() => $"{string.Join(",", Series.Select(s => s.Name))}|{string.Join(",", Colors)}";

    protected override object?[] UpdateArguments() => [null, null, null, Categories];

    protected override string DataKey() =>
        string.Join(",", Categories) + "|" + string.Join(";", Series.Select(s => string.Join(",", s.Values)));

    // NaN (a dyno with no samples) is not valid JSON; draw it as no bar.
    private static double Value(BarSeries series, int index) =>
        index < series.Values.Count && double.IsFinite(series.Values[index]) ? series.Values[index] : 0;
}
