namespace DynoDashboard.Core;

/// <summary>
/// The data folder holds history, drain bodies and secrets, so what DynoDashboard creates there is readable by its own
/// user only: files 0600, the folder 0700 when we create it (an existing folder, e.g. a mounted volume, keeps its mode:
/// its owner chose it). Windows has no such modes; there these are no-ops.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="folder"/> (and missing parents) 0700 if it does not exist.</summary>
    public static void CreateFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, FolderMode);
        }
    }

    /// <summary>Creates an empty 0600 file unless one exists, so a library that opens it later (LiteDB) keeps the mode.</summary>
    public static void PreCreate(string path)
    {
        if (File.Exists(path))
        {
            Restrict(path);
            return;
        }

        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by someone else: restrict that one.
            Restrict(path);
        }
    }

    /// <summary>Makes an existing file 0600 (one created before this version, or by a library).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>Options for a new file created 0600.</summary>
    public static FileStreamOptions CreateOptions(System.IO.FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }
}
