using DynoDashboard.Web.Configuration;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Security;

/// <summary>The sign-in form for <c>BrowserToken</c> (paste the token) and <c>Password</c> modes.</summary>
public sealed partial class LoginPage
{
    [Parameter, EditorRequired]
    public required AuthMode Mode { get; set; }

    [Parameter, EditorRequired]
    public required string AntiforgeryFieldName { get; set; }

    [Parameter, EditorRequired]
    public required string AntiforgeryToken { get; set; }

    [Parameter]
    public string ReturnUrl { get; set; } = "/";

    [Parameter]
    public string? Message { get; set; }

    [Parameter]
    public bool IsError { get; set; }

    /// <summary>Already signed in: offer the dashboard and a sign-out button instead of the form.</summary>
    [Parameter]
    public bool SignedIn { get; set; }

    private bool IsPassword => Mode == AuthMode.Password;

    private string SecretLabel => IsPassword ? "Password" : "Sign-in token";
}
