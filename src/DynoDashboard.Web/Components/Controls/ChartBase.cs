using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>
/// The interop half of every chart. The first render imports <c>dyno-charts.js</c>, measures the plot and
/// creates the chart; later renders send only the new data, and only when it differs from what was sent.
/// A change of shape (series names, theme, kind) re-creates the chart instead.
/// </summary>
public abstract class ChartBase : ComponentBase, IAsyncDisposable
{
    public const string ModulePath = "./js/dyno-charts.js";

    /// <summary>Before the browser reports the plot width: a typical desktop card.</summary>
    private const int DefaultPlotWidth = 600;

    private IJSObjectReference? _module;
    private string? _shape;
    private string? _sent;
    private bool _disposed;

    [Inject]
    public required IJSRuntime JS { get; init; }

    [CascadingParameter(Name = "DarkMode")]
    public bool DarkMode { get; set; }

    [Parameter]
    public int Height { get; set; } = 260;

    protected ElementReference Element { get; set; }

    /// <summary>The plot's width in CSS pixels: no series is sent with more points than this.</summary>
    protected int PlotWidth { get; private set; } = DefaultPlotWidth;

    protected string ChartId { get; } = "chart-" + Guid.NewGuid().ToString("N")[..8];

    protected static CultureInfo Invariant => CultureInfo.InvariantCulture;

    /// <summary>The chart's configuration for <c>initializeChart</c>; any change re-creates the chart.</summary>
    protected abstract object BuildConfig();

    /// <summary>The series as ApexCharts takes them.</summary>
    protected abstract object[] BuildSeries();

    /// <summary>What identifies the series set: a new name means a new chart, not an update.</summary>
    protected abstract string ShapeKey();

    /// <summary>The arguments of <c>updateChart</c> after the element and the series.</summary>
    protected abstract object?[] UpdateArguments();

    /// <summary>A cheap fingerprint of the data, to skip updates that would draw the same picture.</summary>
    protected abstract string DataKey();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_disposed)
        {
            return;
        }

        if (firstRender)
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
            PlotWidth = await _module.InvokeAsync<int>("plotWidth", Element);
        }

        if (_module is null)
        {
            return;
        }

        var shape = string.Create(Invariant, $"{DarkMode}|{Height}|{ShapeKey()}");
        var data = DataKey();
        if (shape != _shape)
        {
            _shape = shape;
            _sent = data;
            await _module.InvokeVoidAsync("initializeChart", Element, BuildConfig(), BuildSeries());
        }
        else if (data != _sent)
        {
            _sent = data;
            await _module.InvokeVoidAsync("updateChart", [Element, BuildSeries(), .. UpdateArguments()]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("disposeChart", Element);
            }
            catch (JSDisconnectedException)
            {
            }

            await _module.SafeDisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
