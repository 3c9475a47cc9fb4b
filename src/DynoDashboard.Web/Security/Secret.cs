using System.Security.Cryptography;
using System.Text;

namespace DynoDashboard.Web.Security;

/// <summary>
/// A shared secret (ingest key, API key, sign-in token) held only as its SHA-256 and compared in constant time:
/// both sides are hashed, so the comparison takes the same time whatever the candidate's length or content.
/// <see cref="ToString"/> never shows the value.
/// </summary>
public sealed class Secret
{
    // Longer candidates are cut before hashing: no real key is this long, and it bounds the work per request.
    private const int MaxCandidateChars = 1024;

    private readonly byte[] _hash;

    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    public bool Matches(ReadOnlySpan<char> candidate)
    {
        if (candidate.IsEmpty)
        {
            return false;
        }

        var chars = candidate[..Math.Min(candidate.Length, MaxCandidateChars)];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(chars.Length);
        var buffer = maxBytes <= 1024 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var written = Encoding.UTF8.GetBytes(chars, buffer);
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer[..written], actual);
        return CryptographicOperations.FixedTimeEquals(_hash, actual);
    }

    /// <summary>True when any of <paramref name="secrets"/> matches; every one is compared, so the time does not
    /// tell which.</summary>
    public static bool MatchesAny(IReadOnlyList<Secret> secrets, ReadOnlySpan<char> candidate)
    {
        var any = false;
        foreach (var secret in secrets)
        {
            any |= secret.Matches(candidate);
        }

        return any;
    }

    public override string ToString() => "(secret)";
}

/// <summary>
/// A generated secret kept in a file of the data folder (<c>ingest.key</c>, <c>login.token</c>), readable by the
/// owner only. Deleting the file and restarting makes a new one.
/// </summary>
public static class SecretFile
{
    public const int MinLength = 16;

    /// <summary>Reads the secret at <paramref name="path"/>, or makes a new random one and writes it there atomically.</summary>
    public static (string Value, bool Generated) LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length >= MinLength)
            {
                return (existing, false);
            }
        }

        Core.PrivateFiles.CreateFolder(Path.GetDirectoryName(path)!);
        // Hex is URL-safe: it can sit in https://user:KEY@host/…, ?key= and ?t= without escaping.
        var value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var tmp = path + ".tmp";
        // Created 0600, so the secret is never readable by others, not even between the write and a chmod.
        using (var file = new StreamWriter(new FileStream(tmp,
                   Core.PrivateFiles.CreateOptions(FileMode.Create, FileAccess.Write, FileShare.None))))
        {
            file.Write(value);
        }

        Core.PrivateFiles.Restrict(tmp); // an old .tmp left by a crash keeps its mode under FileMode.Create
        File.Move(tmp, path, overwrite: true);
        return (value, true);
    }
}
