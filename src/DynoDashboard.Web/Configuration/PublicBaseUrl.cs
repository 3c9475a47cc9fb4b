using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DynoDashboard.Web.Configuration;

/// <summary>The base URL printed in start-up banners: <c>Ingest:PublicUrl</c>, else the first listen address with
/// a wildcard host (<c>+</c>, <c>*</c>, <c>[::]</c>, <c>0.0.0.0</c>) shown as <c>localhost</c>.</summary>
public static class PublicBaseUrl
{
    public static string Resolve(string? configured, IServer server)
    {
        var baseUrl = configured
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "https://YOUR-HOST";
        return baseUrl.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .TrimEnd('/');
    }
}
