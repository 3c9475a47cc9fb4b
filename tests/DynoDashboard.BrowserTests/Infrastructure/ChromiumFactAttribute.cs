namespace DynoDashboard.BrowserTests.Infrastructure;

/// <summary>
/// A fact that needs Debian's Chromium. Without it the test is skipped with the install command, except under
/// <c>CI=true</c>: CI installs Chromium (.ci/run), so there a missing browser must fail, not pass silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath) && !IsCi)
        {
            Skip = $"Chromium is not installed at {ChromiumPath}; install it with: apt-get install -y chromium";
        }
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
