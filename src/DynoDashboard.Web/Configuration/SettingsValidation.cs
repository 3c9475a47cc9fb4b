using DynoDashboard.Core.Live;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Configuration;

public static class SettingsValidation
{
    /// <summary>
    /// Validates every settings section before anything starts and reports all problems in one exception.
    /// <c>ValidateOnStart</c> alone is not enough: the host builds hosted services (which read options in their
    /// constructors) before it runs the start-up validators, so the first bad section would hide the others.
    /// </summary>
    public static void ValidateDynoSettings(this IServiceProvider services)
    {
        var failures = new List<string>();
        Check<IngestOptions>(services, failures);
        Check<StorageOptions>(services, failures);
        Check<DemoOptions>(services, failures);
        Check<LiveStoreOptions>(services, failures);
        Check<Heroku.HerokuOptions>(services, failures);
        Check<Alerts.AlertOptions>(services, failures);
        Check<SecurityOptions>(services, failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("DynoDashboard settings", typeof(IngestOptions), failures);
        }
    }

    private static void Check<T>(IServiceProvider services, List<string> failures)
        where T : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }
    }
}
