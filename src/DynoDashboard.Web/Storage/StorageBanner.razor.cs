using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Storage;

/// <summary>
/// The storage banner on every page (in the main layout): what <see cref="StorageHealth"/> holds. Conditions (disk
/// space low, history writes failing) show while they last; recoveries since start (a damaged history file, damaged
/// journal records) show until the user closes them in this circuit, since the operator has to know data may be gone.
/// </summary>
public sealed partial class StorageBanner : ComponentBase, IDisposable
{
    private StorageStatus? _status;
    private bool _showEvents = true;

    [Inject]
    public required StorageHealth Health { get; init; }

    protected override void OnInitialized()
    {
        _status = Health.Status();
        Health.Changed += OnChanged;
    }

    public void Dispose() => Health.Changed -= OnChanged;

    private void HideEvents() => _showEvents = false;

    // Raised on whichever thread changed the health (the writer's, the free-space timer's): render on the circuit's.
    private void OnChanged() => _ = InvokeAsync(() =>
    {
        _status = Health.Status();
        StateHasChanged();
    });
}
