using DynoDashboard.Core.Live;

namespace DynoDashboard.Core.History;

/// <summary>Deleting and renaming an app's whole history. Separate from <see cref="IHistoryStore"/> so a store that
/// cannot do it (a test double) need not pretend to.</summary>
public interface IHistoryAppStore
{
    /// <summary>Deletes every document of the app; returns how many went.</summary>
    int DeleteApp(string app);

    /// <summary>Moves every document of the app to <paramref name="newName"/>; refuses when that name has history.</summary>
    AppRenameResult RenameApp(string app, string newName);
}
