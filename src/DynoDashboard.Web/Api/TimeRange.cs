using System.Globalization;

namespace DynoDashboard.Web.Api;

/// <summary>
/// Parses the <c>from</c>/<c>to</c> query values: ISO 8601 (<c>2026-11-26T10:00:00Z</c>) or a relative form
/// counted back from now (<c>-30s</c>, <c>-15m</c>, <c>-1h</c>, <c>-7d</c>).
/// </summary>
public static class TimeRange
{
    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        text = text.Trim();
        if (text is ['-', .. var rest] && rest.Length >= 2 &&
            double.TryParse(rest.AsSpan(0, rest.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = rest[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                'w' => TimeSpan.FromDays(7 * amount),
                _ => null,
            };
            if (span is { } s && s <= TimeSpan.FromDays(3650))
            {
                value = now - s;
                return true;
            }

            return false;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var absolute))
        {
            value = absolute;
            return true;
        }

        return false;
    }
}
