using System.Globalization;

namespace DynoDashboard.Web.Components.Controls;

/// <summary>Short, invariant display texts shared by the pages.</summary>
internal static class Formats
{
    /// <summary>"45 s", "12 min", "3 h 05 min", "2 d 4 h".</summary>
    public static string Age(TimeSpan age) => age switch
    {
        { TotalSeconds: < 0 } => "—",
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{age.TotalSeconds:0} s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:0} min"),
        { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h {age.Minutes:00} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} d {age.Hours} h"),
    };

    /// <summary>A number with up to <paramref name="decimals"/> decimals; "—" for a missing (NaN) one.</summary>
    public static string Number(double value, int decimals = 0) =>
        double.IsFinite(value) ? Math.Round(value, decimals).ToString(CultureInfo.InvariantCulture) : "—";

    public static string Percent(double share) =>
        double.IsFinite(share) ? string.Create(CultureInfo.InvariantCulture, $"{share * 100:0.#} %") : "—";

    public static string Time(DateTimeOffset time) => time.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
