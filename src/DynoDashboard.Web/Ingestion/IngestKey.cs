using System.Security.Cryptography;
using System.Text;
using DynoDashboard.Web.Configuration;
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

    private readonly byte[] _key;

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
            (Value, WasGenerated) = LoadOrCreate(path);
            Source = path;
        }

        _key = Encoding.UTF8.GetBytes(Value);
    }

    /// <summary>The key. Only the start-up banner and the drain check read it.</summary>
    internal string Value { get; }

    /// <summary>Where the key came from (a path or "configuration"), safe to log.</summary>
    public string Source { get; }

    public bool WasGenerated { get; }

    public bool Matches(ReadOnlySpan<char> candidate)
    {
        if (candidate.IsEmpty)
        {
            return false;
        }

        // Hash both sides so the comparison takes the same time whatever the candidate's length.
        Span<byte> expected = stackalloc byte[32];
        Span<byte> actual = stackalloc byte[32];
        SHA256.HashData(_key, expected);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(Math.Min(candidate.Length, 1024));
        var buffer = maxBytes <= 1024 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var written = Encoding.UTF8.GetBytes(candidate[..Math.Min(candidate.Length, 1024)], buffer);
        SHA256.HashData(buffer[..written], actual);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static (string Key, bool Generated) LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length >= 16)
            {
                return (existing, false);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // URL-safe so it can sit in https://user:KEY@host/… and ?key= without escaping.
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(tmp, path, overwrite: true);
        return (key, true);
    }
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
