using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>
/// RSS and swap stacked against the memory quota (a mark on the track), with the same in words. The fleet table uses
/// <see cref="Markup"/> directly, without a component per row.
/// </summary>
public sealed partial class MemoryBar : ComponentBase
{
    [Parameter]
    public double Rss { get; set; }

    [Parameter]
    public double Swap { get; set; }

    [Parameter]
    public double Quota { get; set; }

    /// <summary>The track's full length: the quota, or more when the dyno is past it.</summary>
    private static double Scale(double rss, double swap, double quota) => Math.Max(Math.Max(quota, rss + swap), 1);

    internal static string Text(double rss, double swap, double quota) => quota > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Formats.Number(rss)} + {Formats.Number(swap)} swap / {Formats.Number(quota)} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{Formats.Number(rss)} + {Formats.Number(swap)} swap MB");

    private static string Width(double value, double scale) =>
        string.Create(CultureInfo.InvariantCulture, $"{(double.IsFinite(value) ? Math.Clamp(value / scale, 0, 1) * 100 : 0):0.#}%");
}
