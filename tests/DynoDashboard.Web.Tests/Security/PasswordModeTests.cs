using System.Net;
using DynoDashboard.Web.Security;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DynoDashboard.Web.Tests.Security;

public sealed class PasswordModeTests : IDisposable
{
    internal const string Password = "correct horse battery staple";
    private static readonly WebApplicationFactoryClientOptions s_noRedirects = new() { AllowAutoRedirect = false };
    private static readonly Lazy<string> s_hash = new(() => DashboardPassword.Hash(Password));
    private readonly DashboardFactory _factory = new(Settings());

    internal static Dictionary<string, string?> Settings() => new()
    {
        ["Dashboard:Auth:Mode"] = "Password",
        ["Dashboard:Auth:PasswordHash"] = s_hash.Value,
    };

    [Fact]
    public async Task LoginForm_RightPasswordWithAntiforgery_SignsIn()
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);

        var (response, home) = await SignInTests.SubmitLoginAsync(client, Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, home);
    }

    [Fact]
    public async Task LoginForm_WrongPassword_Returns401AndStaysSignedOut()
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);

        var (response, home) = await SignInTests.SubmitLoginAsync(client, Password + "!");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Wrong password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, home);
    }

    [Fact]
    public async Task LoginForm_RightPasswordWithoutAntiforgeryToken_Returns400()
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);

        var (response, home) = await SignInTests.SubmitLoginAsync(client, Password, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, home);
    }

    [Fact]
    public async Task LoginForm_TokenFromAnotherClient_Returns400()
    {
        using var attacker = _factory.CreateAnonymousClient(s_noRedirects);
        var stolen = await SignInTests.LoginFormAsync(attacker);
        using var victim = _factory.CreateAnonymousClient(s_noRedirects); // no antiforgery cookie of its own

        var response = await victim.PostAsync(new Uri("/login", UriKind.Relative), stolen.With("secret", Password));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LoginLink_InPasswordMode_DoesNotSignIn()
    {
        using var client = _factory.CreateAnonymousClient(s_noRedirects);

        var response = await client.GetAsync(new Uri("/login?t=anything-at-all-0123456789", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // just the form
        Assert.False(File.Exists(Path.Combine(_factory.DataFolder, LoginToken.FileName)));
    }

    [Fact]
    public void HashPasswordCommand_ReadsStdin_PrintsAVerifiableHash()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = PasswordHashCommand.Run(new StringReader(Password + "\n"), output, error);

        Assert.Equal(0, code);
        var hash = output.ToString().Trim();
        Assert.True(DashboardPassword.IsWellFormedHash(hash));
        Assert.True(DashboardPassword.Verify(hash, Password));
        Assert.False(DashboardPassword.Verify(hash, "something else entirely"));
        Assert.DoesNotContain(Password, output.ToString() + error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    public void HashPasswordCommand_EmptyOrShortPassword_Fails(string password)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, PasswordHashCommand.Run(new StringReader(password), output, error));
        Assert.Empty(output.ToString());
    }

    public void Dispose() => _factory.Dispose();
}
