using Microsoft.JSInterop;

namespace DynoDashboard.Web.Components.Controls;

internal static class JSInteropExtensions
{
    /// <summary>Disposes a JS module; when the circuit is already gone there is nothing left to free.</summary>
    public static async ValueTask SafeDisposeAsync(this IJSObjectReference? module)
    {
        if (module is null)
        {
            return;
        }

        try
        {
            await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
        }
    }
}
