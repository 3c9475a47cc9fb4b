using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>
/// MudBlazor's markup written out, for parts repeated per dyno: a <c>MudIcon</c> is a component, and every component
/// costs a circuit two render-tree buffers and its state for as long as the page is open (docs/perf.md, memory per
/// circuit). A <see cref="MarkupString"/> is one frame.
/// </summary>
internal static class MudMarkup
{
    /// <summary>What <c>MudIcon</c> renders for an SVG icon (<paramref name="paths"/> is an <c>Icons.Material</c> constant).</summary>
    /// <param name="classes">MudIcon's colour and size classes, e.g. <c>mud-success-text mud-icon-size-small</c>.</param>
    public static MarkupString Icon(string paths, string classes) => new(
        $"<svg class=\"mud-icon-root mud-svg-icon {classes}\" focusable=\"false\" viewBox=\"0 0 24 24\" role=\"img\" aria-hidden=\"true\">{paths}</svg>");
}
