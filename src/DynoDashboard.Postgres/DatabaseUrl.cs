using System.Globalization;
using Npgsql;

namespace DynoDashboard.Postgres;

/// <summary>
/// Heroku's <c>DATABASE_URL</c> (<c>postgres://USER:PASSWORD@HOST:PORT/DATABASE</c>) as an Npgsql connection string.
/// Heroku Postgres only takes TLS connections and its certificates are not signed by a public CA, so the default is
/// <c>SSL Mode=Require</c>, which encrypts without verifying (as libpq's <c>sslmode=require</c>); a URL's own
/// <c>?sslmode=</c> wins, for a local server without TLS (<c>disable</c>) or one whose CA is trusted (<c>verify-full</c>).
/// </summary>
public static class DatabaseUrl
{
    /// <summary>The connection string for <paramref name="url"/>.</summary>
    /// <exception cref="FormatException">Not such a URL. The message never holds the password.</exception>
    public static string ToConnectionString(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) ||
            uri.Scheme is not ("postgres" or "postgresql") || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("DATABASE_URL is not a PostgreSQL URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE.");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"DATABASE_URL names no database (postgres://…@{uri.Host}/DATABASE).");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
            SslMode = SslMode.Require,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        if (QueryValue(uri, "sslmode") is { } sslMode)
        {
            builder.SslMode = sslMode.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant() switch
            {
                "DISABLE" => SslMode.Disable,
                "ALLOW" => SslMode.Allow,
                "PREFER" => SslMode.Prefer,
                "REQUIRE" => SslMode.Require,
                "VERIFYCA" => SslMode.VerifyCA,
                "VERIFYFULL" => SslMode.VerifyFull,
                _ => throw new FormatException(string.Format(CultureInfo.InvariantCulture,
                    "DATABASE_URL has sslmode={0}; expected disable, allow, prefer, require, verify-ca or verify-full.", sslMode)),
            };
        }

        return builder.ConnectionString;
    }

    /// <summary>Host, port and database of a connection string, never user or password: for logs and pages.</summary>
    /// <exception cref="ArgumentException">Not a valid Npgsql connection string (the message names no value).</exception>
    public static string Describe(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            // Npgsql's own message may quote the string, password and all.
            throw new ArgumentException("not a valid Npgsql connection string (Host=…;Database=…;Username=…;Password=…)");
        }

        return string.Create(CultureInfo.InvariantCulture, $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static string? QueryValue(Uri uri, string name)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
    }
}
