using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Security;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// The secret a drain must present. Taken from <c>Ingest:Key</c>, or generated at first start and kept in
/// <c>ingest.key</c> beside the database so that the drain URL given to Heroku survives restarts.
/// The key is compared in constant time and never written to logs except in the one drain command printed at start.
/// </summary>
public sealed class IngestKey
{
    public const string FileName = "ingest.key";

    private readonly Secret _key;

    public IngestKey(IOptions<IngestOptions> ingest, IOptions<StorageOptions> storage, IHostEnvironment environment)
    {
        var configured = ingest.Value.Key;
        if (!string.IsNullOrEmpty(configured))
        {
            Value = configured;
            Source = "configuration (Ingest:Key)";
        }
        else
        {
            var dataFolder = DataFolder.Resolve(storage.Value, environment);
            var path = Path.Combine(dataFolder, FileName);
            (Value, WasGenerated) = SecretFile.LoadOrCreate(path);
            Source = path;
        }

        _key = new Secret(Value);
    }

    /// <summary>The key. Only the start-up banner and the drain check read it.</summary>
    internal string Value { get; }

    /// <summary>Where the key came from (a path or "configuration"), safe to log.</summary>
    public string Source { get; }

    public bool WasGenerated { get; }

    public bool Matches(ReadOnlySpan<char> candidate) => _key.Matches(candidate);
}

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
