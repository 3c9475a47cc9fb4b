using DynoDashboard.Core.Analysis;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>The 15 min / 1 h / 6 h / 24 h toggle shared by the chart pages.</summary>
public sealed partial class WindowPicker : ComponentBase
{
    [Parameter, EditorRequired]
    public required ChartWindow Value { get; set; }

    [Parameter]
    public EventCallback<ChartWindow> ValueChanged { get; set; }
}
