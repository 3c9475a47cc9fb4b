using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>RSS and swap stacked against the memory quota (a mark on the track), with the same in words.</summary>
public sealed partial class MemoryBar : ComponentBase
{
    [Parameter]
    public double Rss { get; set; }

    [Parameter]
    public double Swap { get; set; }

    [Parameter]
    public double Quota { get; set; }

    /// <summary>The track's full length: the quota, or more when the dyno is past it.</summary>
    private double Scale => Math.Max(Math.Max(Quota, Rss + Swap), 1);

    internal string Text => Quota > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Formats.Number(Rss)} + {Formats.Number(Swap)} swap / {Formats.Number(Quota)} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{Formats.Number(Rss)} + {Formats.Number(Swap)} swap MB");

    private string Width(double value) =>
        string.Create(CultureInfo.InvariantCulture, $"{(double.IsFinite(value) ? Math.Clamp(value / Scale, 0, 1) * 100 : 0):0.#}%");
}
