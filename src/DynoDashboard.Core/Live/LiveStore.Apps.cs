namespace DynoDashboard.Core.Live;

/// <summary>The outcome of <see cref="LiveStore.RenameApp"/> and of the history store's rename.</summary>
public enum AppRenameResult
{
    Renamed,
    UnknownApp,
    NameTaken,
}

public sealed partial class LiveStore
{
    /// <summary>Forgets the app and all it holds. A batch already being applied may bring it back; the caller
    /// deletes after the drain is removed at Heroku.</summary>
    public bool RemoveApp(string app)
    {
        ArgumentNullException.ThrowIfNull(app);
        lock (_appsLock)
        {
            return _apps.Remove(app);
        }
    }

    /// <summary>Files the app's live data under <paramref name="newName"/>. Refuses to merge into an app that exists,
    /// since two apps' dynos (both with a <c>web.1</c>) cannot be told apart afterwards.</summary>
    public AppRenameResult RenameApp(string app, string newName)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(newName);
        lock (_appsLock)
        {
            if (!_apps.TryGetValue(app, out var state))
            {
                return AppRenameResult.UnknownApp;
            }

            if (_apps.ContainsKey(newName))
            {
                return AppRenameResult.NameTaken;
            }

            _apps.Remove(app);
            state.Name = newName;
            _apps.Add(newName, state);
            return AppRenameResult.Renamed;
        }
    }
}
