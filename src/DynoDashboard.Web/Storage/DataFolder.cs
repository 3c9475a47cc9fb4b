using DynoDashboard.Web.Configuration;

namespace DynoDashboard.Web.Storage;

/// <summary>The folder that holds the database and the generated secrets: the directory of <c>Storage:Path</c>.</summary>
public static class DataFolder
{
    public static string Resolve(StorageOptions storage, IHostEnvironment environment)
    {
        var dbPath = Path.IsPathRooted(storage.Path)
            ? storage.Path
            : Path.Combine(environment.ContentRootPath, storage.Path);
        return Path.GetDirectoryName(Path.GetFullPath(dbPath))!;
    }
}
