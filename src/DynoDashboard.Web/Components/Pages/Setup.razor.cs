using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Ingestion;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;

namespace DynoDashboard.Web.Components.Pages;

internal enum SetupState
{
    Waiting,
    FrameArrived,
    RuntimeArrived,
}

/// <summary>
/// Connects a new app: its name in, the exact Heroku CLI commands out (with this app's ingest key: the page is
/// behind sign-in, and the key is never logged), then a live wait on the <see cref="LiveFeed"/> for the app's first
/// frame and its first runtime sample. No polling: the feed calls back when the drain applies a batch.
/// </summary>
public sealed partial class Setup : ComponentBase, IDisposable
{
    private string _app = string.Empty;
    private SetupCommands? _commands;
    private bool _ownKey;
    private SetupState _state;
    private int _dynoCount;
    private int _runtimeDynos;
    private IDisposable? _subscription;

    [Inject]
    public required LiveStore Store { get; init; }

    [Inject]
    public required LiveFeed Feed { get; init; }

    [Inject]
    public required IngestKey Key { get; init; }

    [Inject]
    public required IOptions<IngestOptions> Ingest { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    private Severity StatusSeverity => _state switch
    {
        SetupState.RuntimeArrived => Severity.Success,
        SetupState.FrameArrived => Severity.Warning,
        _ => Severity.Info,
    };

    private Task OnAppChangedAsync(string? value)
    {
        _app = (value ?? string.Empty).Trim();
        _subscription?.Dispose();
        _subscription = null;
        _commands = null;
        if (!AppName.IsValid(_app))
        {
            return Task.CompletedTask;
        }

        // Ingest:PublicUrl when set (behind a proxy the browser's address may not be Heroku's); else this page's base.
        var baseUrl = new Uri(string.IsNullOrEmpty(Ingest.Value.PublicUrl) ? Navigation.BaseUri : Ingest.Value.PublicUrl);
        _commands = SetupCommands.For(_app, Key.ValueFor(_app), baseUrl);
        _ownKey = Key.HasOwnKey(_app);
        var app = _app;
        _subscription = Feed.Subscribe(app, () => InvokeAsync(() =>
        {
            if (app == _app)
            {
                Refresh();
                StateHasChanged();
            }
        }));
        Refresh();
        return Task.CompletedTask;
    }

    private void Refresh()
    {
        var dynos = Store.GetDynos(_app);
        _dynoCount = dynos?.Count(d => d.Name != DynoName.NoDyno) ?? 0;
        _runtimeDynos = dynos?.Count(d => d.Latest is not null) ?? 0;
        _state = dynos is null ? SetupState.Waiting : _runtimeDynos > 0 ? SetupState.RuntimeArrived : SetupState.FrameArrived;
    }

    private async Task CopyAsync(string command)
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", command);
            Snackbar.Add("Copied", Severity.Success);
        }
        catch (JSException)
        {
            // Clipboard access needs a secure context (https or localhost); the command stays selectable.
            Snackbar.Add("Copy is blocked here; select the command instead", Severity.Warning);
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
