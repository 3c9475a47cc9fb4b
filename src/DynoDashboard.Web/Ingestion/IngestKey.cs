using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Security;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Ingestion;

/// <summary>
/// The secret a drain must present. Taken from <c>Ingest:Key</c>, or generated at first start and kept in
/// <c>ingest.key</c> beside the database so that the drain URL given to Heroku survives restarts.
/// The key is compared in constant time and never written to logs except in the one drain command printed at start.
/// <para>Apps listed in <c>Ingest:Apps:{app}:Key</c> have their own key, and for them only that key matches: a
/// per-app key exists to limit what one leaked URL can write, which accepting the global key too would undo.</para>
/// </summary>
public sealed class IngestKey
{
    public const string FileName = "ingest.key";

    private readonly Secret _key;
    private readonly Dictionary<string, (string Value, Secret Secret)> _appKeys;

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
        _appKeys = ingest.Value.Apps
            .Where(a => !string.IsNullOrEmpty(a.Value.Key))
            .ToDictionary(a => a.Key, a => (a.Value.Key!, new Secret(a.Value.Key!)), StringComparer.Ordinal);
    }

    /// <summary>The key. Only the start-up banner and the drain check read it.</summary>
    internal string Value { get; }

    /// <summary>Where the key came from (a path or "configuration"), safe to log.</summary>
    public string Source { get; }

    public bool WasGenerated { get; }

    /// <summary>Whether the candidate is the global key (apps without a key of their own).</summary>
    public bool Matches(ReadOnlySpan<char> candidate) => _key.Matches(candidate);

    /// <summary>Whether the candidate opens this app's drain: its own key when it has one, else the global key.</summary>
    public bool Matches(string app, ReadOnlySpan<char> candidate) =>
        _appKeys.TryGetValue(app, out var own) ? own.Secret.Matches(candidate) : _key.Matches(candidate);

    /// <summary>Whether <c>Ingest:Apps:{app}:Key</c> is set for this app.</summary>
    public bool HasOwnKey(string app) => _appKeys.ContainsKey(app);

    /// <summary>The key this app's drain URL must carry. Only the signed-in setup page shows it; never log it.</summary>
    internal string ValueFor(string app) => _appKeys.TryGetValue(app, out var own) ? own.Value : Value;
}
