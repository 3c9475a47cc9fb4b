namespace DynoDashboard.Core.Model;

/// <summary>The family of a Heroku error code.</summary>
public enum ErrorFamily
{
    /// <summary>H: the router.</summary>
    Router,

    /// <summary>R: the dyno manager (runtime).</summary>
    Runtime,

    /// <summary>L: logplex and log-shuttle.</summary>
    Logging,
}

/// <summary>
/// One of Heroku's 40 error codes (H10–H99, R10–R99, L10–L15) with its meaning. Instances come from
/// the catalogue (<c>ErrorCatalog</c>), one per code, so the parser hands them out without allocating.
/// </summary>
public sealed record ErrorCodeInfo(string Code, ErrorFamily Family, string Title, string Meaning)
{
    public override string ToString() => Code;
}
