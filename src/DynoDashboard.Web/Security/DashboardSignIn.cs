using System.Security.Cryptography;
using System.Text;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Storage;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Security;

/// <summary>
/// The sign-in token of <c>Dashboard:Auth:Mode=BrowserToken</c>: made at first start and kept in
/// <c>login.token</c> beside the database and the ingest key. Only the start-up sign-in link shows it.
/// </summary>
public sealed class LoginToken
{
    public const string FileName = "login.token";

    private readonly Secret _secret;

    public LoginToken(IOptions<StorageOptions> storage, IHostEnvironment environment)
    {
        Source = Path.Combine(DataFolder.Resolve(storage.Value, environment), FileName);
        (Value, WasGenerated) = SecretFile.LoadOrCreate(Source);
        _secret = new Secret(Value);
    }

    /// <summary>The token. Only the start-up banner reads it.</summary>
    internal string Value { get; }

    /// <summary>The file the token is kept in, safe to log.</summary>
    public string Source { get; }

    public bool WasGenerated { get; }

    public bool Matches(ReadOnlySpan<char> candidate) => _secret.Matches(candidate);
}

/// <summary>
/// Checks what a person presents at <c>/login</c> against the configured mode, and gives the "stamp" put in the
/// sign-in cookie: a short digest of the current token or password hash. A cookie whose stamp no longer matches
/// (after the token or password was changed and the server restarted) is rejected, so rotating signs everyone out.
/// </summary>
public sealed class DashboardSignIn
{
    public const string StampClaim = "dynodash:stamp";

    private readonly IServiceProvider _services;
    private readonly Lazy<string> _stamp;

    public DashboardSignIn(IOptions<SecurityOptions> options, IServiceProvider services)
    {
        _services = services;
        Mode = options.Value.Auth.ParsedMode;
        PasswordHash = options.Value.Auth.PasswordHash ?? string.Empty;
        _stamp = new Lazy<string>(MakeStamp);
    }

    public AuthMode Mode { get; }

    /// <summary>A digest of the current sign-in secret (never the secret).</summary>
    public string Stamp => _stamp.Value;

    private string PasswordHash { get; }

    /// <summary>Token or password, by mode. Always false for <see cref="AuthMode.None"/> (nothing to sign in to).</summary>
    public bool Verify(string? presented) => Mode switch
    {
        AuthMode.BrowserToken => _services.GetRequiredService<LoginToken>().Matches(presented),
        AuthMode.Password => presented is not null && DashboardPassword.Verify(PasswordHash, presented),
        _ => false,
    };

    private string MakeStamp()
    {
        var secret = Mode switch
        {
            AuthMode.BrowserToken => _services.GetRequiredService<LoginToken>().Value,
            AuthMode.Password => PasswordHash,
            _ => string.Empty,
        };
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes("dynodash-session-stamp:" + secret));
        return Convert.ToHexStringLower(digest.AsSpan(0, 12));
    }
}
