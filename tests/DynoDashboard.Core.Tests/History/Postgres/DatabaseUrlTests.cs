using DynoDashboard.Postgres;
using Npgsql;

namespace DynoDashboard.Core.Tests.History.Postgres;

public sealed class DatabaseUrlTests
{
    [Fact]
    public void HerokuUrl_BecomesAConnectionStringThatRequiresTls()
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(
            "postgres://u1abc:p%40ss%2Fword@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8f9ab"));

        Assert.Equal("ec2-1-2-3-4.compute-1.amazonaws.com", builder.Host);
        Assert.Equal(5432, builder.Port);
        Assert.Equal("d8f9ab", builder.Database);
        Assert.Equal("u1abc", builder.Username);
        Assert.Equal("p@ss/word", builder.Password);
        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Theory]
    [InlineData("postgresql://u@localhost/db?sslmode=disable", SslMode.Disable, 5432)]
    [InlineData("postgres://u@localhost:6543/db?sslmode=verify-full", SslMode.VerifyFull, 6543)]
    [InlineData("postgres://u@localhost/db?application_name=x&SSLMODE=prefer", SslMode.Prefer, 5432)]
    public void SslModeInTheUrl_Wins(string url, SslMode expected, int port)
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(url));

        Assert.Equal(expected, builder.SslMode);
        Assert.Equal(port, builder.Port);
    }

    [Theory]
    [InlineData("mysql://u:topsecret@host/db")]
    [InlineData("postgres://u:topsecret@host")]
    [InlineData("postgres://u:topsecret@host/db?sslmode=sometimes")]
    [InlineData("not a url topsecret")]
    public void NotAPostgresUrl_IsAFormatErrorThatNeverShowsThePassword(string url)
    {
        var error = Assert.Throws<FormatException>(() => DatabaseUrl.ToConnectionString(url));

        Assert.StartsWith("DATABASE_URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_NamesHostPortAndDatabaseOnly()
    {
        Assert.Equal("postgresql://db.internal:5433/history",
            DatabaseUrl.Describe("Host=db.internal;Port=5433;Database=history;Username=dash;Password=topsecret"));
        var bad = Assert.Throws<ArgumentException>(() => DatabaseUrl.Describe("Host=x;Passwrd=topsecret"));
        Assert.DoesNotContain("topsecret", bad.Message, StringComparison.Ordinal);
    }
}
