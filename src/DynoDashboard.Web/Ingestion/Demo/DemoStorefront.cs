using System.Globalization;

namespace DynoDashboard.Web.Ingestion.Demo;

/// <summary>One route of the demo shop: what the router sees and what Rails (lograge) logs for it.</summary>
/// <param name="Path">The request path; <c>{id}</c>, <c>{page}</c> and <c>{term}</c> are filled per request.</param>
/// <param name="Controller">The Rails controller, or null when no controller runs (assets, unknown routes).</param>
/// <param name="MedianMs">The median service time; the spread around it is log-normal.</param>
internal sealed record DemoRoute(
    string Method,
    string Path,
    string? Controller,
    string? Action,
    string Format,
    double MedianMs,
    int Status,
    int MinBytes,
    int MaxBytes,
    double Weight);

/// <summary>One concrete request, drawn from the route mix.</summary>
internal sealed record DemoRequest(DemoRoute Route, string Path, int Status, int Bytes, int ServiceMs, int ConnectMs);

/// <summary>
/// The demo app's traffic mix: a small Rails shop behind the Heroku router. Mostly 200s, some
/// redirects and 304s, a trickle of bots hitting 404s, rare 500s.
/// </summary>
internal static class DemoStorefront
{
    private const double ServerErrorRate = 0.0005;

    // The weights only matter relative to each other; the sum is computed once.
    private static readonly DemoRoute[] s_routes =
    [
        new("GET", "/", "HomeController", "index", "html", 35, 200, 8_000, 14_000, 14),
        new("GET", "/products", "ProductsController", "index", "html", 60, 200, 20_000, 40_000, 12),
        new("GET", "/products?page={page}&sort=price", "ProductsController", "index", "html", 70, 200, 20_000, 40_000, 5),
        new("GET", "/products/{id}", "ProductsController", "show", "html", 45, 200, 12_000, 22_000, 16),
        new("GET", "/products/{id}", "ProductsController", "show", "html", 12, 404, 1_500, 1_800, 0.6),
        new("GET", "/search?q={term}", "SearchController", "index", "html", 120, 200, 15_000, 30_000, 6),
        new("GET", "/collections/Summer Sale/items", "CollectionsController", "items", "html", 55, 200, 18_000, 26_000, 2),
        new("GET", "/cart", "CartsController", "show", "html", 30, 200, 6_000, 9_000, 6),
        new("POST", "/cart/items", "CartItemsController", "create", "html", 40, 302, 300, 420, 3),
        new("GET", "/api/v1/orders/{id}.json", "Api::V1::OrdersController", "show", "json", 25, 200, 900, 2_400, 7),
        new("POST", "/api/v1/orders", "Api::V1::OrdersController", "create", "json", 90, 201, 600, 1_200, 2),
        new("GET", "/assets/application-5f1c2e9b.css", null, null, "css", 3, 200, 48_000, 48_000, 5),
        new("GET", "/assets/application-5f1c2e9b.css", null, null, "css", 1, 304, 180, 220, 5),
        new("GET", "/users/sign_in", "Devise::SessionsController", "new", "html", 20, 200, 4_000, 5_000, 3),
        new("POST", "/users/sign_in", "Devise::SessionsController", "create", "html", 180, 302, 300, 420, 2),
        new("POST", "/users/sign_in", "Devise::SessionsController", "create", "html", 170, 422, 4_000, 5_000, 0.4),
        new("GET", "/account", "AccountsController", "show", "html", 8, 302, 300, 420, 1.5),
        new("GET", "/health", "HealthController", "show", "json", 2, 200, 120, 140, 4),
        new("GET", "/apple-touch-icon.png", null, null, "png", 1, 404, 1_500, 1_600, 1),
        new("GET", "/wp-login.php", null, null, "html", 2, 404, 1_500, 1_600, 0.8),
    ];

    private static readonly string[] s_searchTerms =
        ["blue+shoes", "linen+shirt", "caf%C3%A9+mug", "gift+card", "rain+jacket", "size%3A42"];

    private static readonly double s_totalWeight = s_routes.Sum(r => r.Weight);

    /// <summary>Draws the next request of the mix.</summary>
    public static DemoRequest Next(Random random)
    {
        var route = Pick(random);
        var path = route.Path
            .Replace("{id}", (1 + random.Next(5_000)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{page}", (2 + random.Next(12)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{term}", s_searchTerms[random.Next(s_searchTerms.Length)], StringComparison.Ordinal);

        var status = route.Controller is not null && random.NextDouble() < ServerErrorRate ? 500 : route.Status;
        var bytes = status == 500 ? 1_700 : route.MinBytes + random.Next(route.MaxBytes - route.MinBytes + 1);

        // Service times on a web dyno are roughly log-normal: a tight median with a long slow tail.
        var serviceMs = (int)Math.Max(1, Math.Round(route.MedianMs * Math.Exp(0.55 * DemoDyno.Gaussian(random))));
        if (status == 500)
        {
            serviceMs += 2_000 + random.Next(3_000);
        }

        var connectMs = random.NextDouble() < 0.85 ? 1 : random.NextDouble() < 0.9 ? 0 : 2 + random.Next(3);
        return new DemoRequest(route, path, status, bytes, serviceMs, connectMs);
    }

    private static DemoRoute Pick(Random random)
    {
        var roll = random.NextDouble() * s_totalWeight;
        foreach (var route in s_routes)
        {
            roll -= route.Weight;
            if (roll < 0)
            {
                return route;
            }
        }

        return s_routes[^1];
    }
}
