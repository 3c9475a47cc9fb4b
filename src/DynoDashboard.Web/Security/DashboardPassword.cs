using Microsoft.AspNetCore.Identity;

namespace DynoDashboard.Web.Security;

/// <summary>
/// Password hashing for <c>Dashboard:Auth:Mode=Password</c>, through ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/>: PBKDF2 with HMAC-SHA512, a random 128-bit salt and 100,000 iterations
/// (format version 3), stored as one base64 string.
/// </summary>
public static class DashboardPassword
{
    private const byte FormatV3 = 0x01;
    private static readonly PasswordHasher<Operator> s_hasher = new();
    private static readonly Operator s_operator = new();

    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return s_hasher.HashPassword(s_operator, password);
    }

    public static bool Verify(string hash, string password) =>
        password.Length > 0 && IsWellFormedHash(hash) &&
        s_hasher.VerifyHashedPassword(s_operator, hash, password) != PasswordVerificationResult.Failed;

    /// <summary>True for a version-3 hash (what <see cref="Hash"/> makes); checked at start-up.</summary>
    public static bool IsWellFormedHash(string? hash)
    {
        if (string.IsNullOrWhiteSpace(hash))
        {
            return false;
        }

        var bytes = new byte[hash.Length];
        // Marker (1) + PRF (4) + iterations (4) + salt length (4) + salt (>= 16) + subkey (>= 16).
        return Convert.TryFromBase64String(hash, bytes, out var length) && length >= 45 && bytes[0] == FormatV3;
    }

    /// <summary>The one user the dashboard knows; PasswordHasher wants a type for it.</summary>
    private sealed class Operator;
}

/// <summary>
/// <c>dotnet DynoDashboard.Web.dll --hash-password</c>: reads a password from the first line of standard input and
/// prints its hash for <c>Dashboard:Auth:PasswordHash</c>. Nothing is logged; the password is never echoed.
/// </summary>
public static class PasswordHashCommand
{
    public const string Flag = "--hash-password";

    public static int Run(TextReader input, TextWriter output, TextWriter error)
    {
        var password = input.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("Give the password on standard input, e.g.: read -rs PW && printf '%s\\n' \"$PW\" | dotnet DynoDashboard.Web.dll --hash-password");
            return 2;
        }

        if (password.Length < 12)
        {
            error.WriteLine("Use a password of at least 12 characters.");
            return 2;
        }

        output.WriteLine(DashboardPassword.Hash(password));
        return 0;
    }
}
