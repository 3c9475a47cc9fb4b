using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using DynoDashboard.Web.Security;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DynoDashboard.Web.Tests.Security;

public sealed partial class SignInTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestTime.At(10);
    private static readonly WebApplicationFactoryClientOptions s_noRedirects = new() { AllowAutoRedirect = false };
    private readonly DashboardFactory _factory = new();

    [Fact]
    public async Task Api_WithoutCredentials_Returns401ProblemWithBearerChallenge()
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);

        var response = await client.GetAsync(new Uri("/api/apps", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithWrongBearer_Returns401()
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-api-key-0000000000");

        var response = await client.GetAsync(new Uri("/api/apps", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_WithConfiguredBearer_Returns200()
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardFactory.ApiKey);

        var response = await client.GetAsync(new Uri("/api/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Page_WithoutSignIn_RedirectsToLogin()
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);

        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login?ReturnUrl=%2F", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WithApiKeyOnly_RedirectsToLogin()
    {
        using var client = _factory.CreateClient(s_noRedirects); // sends the Bearer API key

        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Theory]
    [InlineData("/hubs/live")]
    [InlineData("/hubs/live/negotiate?negotiateVersion=1")]
    [InlineData("/_blazor/negotiate?negotiateVersion=1")]
    public async Task MachinePaths_WithoutCredentials_Return401NotARedirect(string path)
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);

        var response = await client.PostAsync(new Uri(path, UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Hubs_WithBearer_PassSignIn()
    {
        using var client = _factory.CreateClient(s_noRedirects);

        var response = await client.PostAsync(new Uri("/hubs/no-such-hub/negotiate", UriKind.Relative), null);

        // Signed in: what answers now is routing (no hub is mapped at this path), not the sign-in check.
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task LoginLink_WithStartupToken_SetsHttpOnlyLaxCookieAndRedirectsHome()
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);

        var response = await client.GetAsync(new Uri($"/login?t={_factory.LoginToken()}&returnUrl=%2Fapps", UriKind.Relative));
        var home = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/apps", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SecurityRegistration.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("text/html", home.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task LoginLink_OverHttps_SetsSecureCookie()
    {
        using var client = _factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("https://dash.example.com"),
        });

        var response = await client.GetAsync(new Uri($"/login?t={_factory.LoginToken()}", UriKind.Relative));

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SecurityRegistration.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("wrong-token-0123456789abcdef0123456789abcdef")]
    [InlineData("x")]
    public async Task LoginLink_WithWrongToken_Returns401WithoutCookie(string token)
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);

        var response = await client.GetAsync(new Uri($"/login?t={token}", UriKind.Relative));
        var home = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.StartsWith(SecurityRegistration.CookieName + "=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task LoginForm_PastedToken_SignsIn()
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);

        var (response, home) = await SubmitLoginAsync(client, _factory.LoginToken());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, home);
    }

    [Fact]
    public async Task Logout_WithAntiforgeryToken_EndsTheSession()
    {
        using var client = await _factory.CreateSignedInClientAsync();
        var form = await LoginFormAsync(client); // signed in: the page offers the sign-out form

        var response = await client.PostAsync(new Uri("/logout", UriKind.Relative), form.With());
        var home = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task Drain_WithOnlyTheIngestKey_IsAcceptedAndHealthzIsOpen()
    {
        using var drain = _factory.CreateAnonymousClient(s_noRedirects);
        drain.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("user:" + DashboardFactory.Key)));

        var posted = await drain.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"));
        using var anonymous = _factory.CreateAnonymousClient(s_noRedirects);
        var health = await anonymous.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Drain_WithApiKeyInsteadOfIngestKey_Returns401()
    {
        using var client = _factory.CreateClient(s_noRedirects); // Bearer API key: not a drain credential

        var response = await client.SendAsync(new LogplexBody().Router(s_t0, "web.1").ToRequest("myapp"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/apps/x", "/apps/x")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/login?t=abc", "/")]
    [InlineData(null, "/")]
    public void LocalUrl_Candidate_OnlyKeepsPathsOnThisSite(string? candidate, string expected) =>
        Assert.Equal(expected, SignInEndpoints.LocalUrl(candidate));

    public void Dispose() => _factory.Dispose();

    /// <summary>Fills in the sign-in form like a browser and then asks for the home page.</summary>
    internal static async Task<(HttpResponseMessage Response, HttpStatusCode Home)> SubmitLoginAsync(HttpClient client,
        string secret, bool withToken = true)
    {
        var form = await LoginFormAsync(client);
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), form.With("secret", secret, withToken));
        var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        return (response, home.StatusCode);
    }

    /// <summary>GETs the sign-in form and returns its antiforgery field, with the cookie kept by the client.</summary>
    internal static async Task<LoginForm> LoginFormAsync(HttpClient client, string path = "/login")
    {
        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "the form has an antiforgery field");
        return new LoginForm(match.Groups["name"].Value, WebUtility.HtmlDecode(match.Groups["value"].Value));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    internal sealed record LoginForm(string FieldName, string Token)
    {
        public FormUrlEncodedContent With(string? field = null, string? value = null, bool withToken = true)
        {
            var fields = new List<KeyValuePair<string, string>>();
            if (withToken)
            {
                fields.Add(new(FieldName, Token));
            }

            if (field is not null)
            {
                fields.Add(new(field, value ?? string.Empty));
            }

            return new FormUrlEncodedContent(fields);
        }
    }
}
