using System.Globalization;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Configuration;

/// <summary>
/// Collects start-up validation errors, each naming its setting, so a user sees every problem at once
/// ("Ingest:QueueCapacity must be between 1 and 100000; it is 0.").
/// </summary>
public sealed class SettingErrors
{
    private readonly List<string> _errors = [];

    public void Add(string error) => _errors.Add(error);

    public void InRange(string setting, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} must be between {min} and {max}; it is {value}."));
        }
    }

    public void InRange(string setting, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} must be between {min} and {max}; it is {value}."));
        }
    }

    public ValidateOptionsResult Result() =>
        _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);
}
