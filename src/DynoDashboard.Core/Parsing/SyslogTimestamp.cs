namespace DynoDashboard.Core.Parsing;

/// <summary>
/// RFC 3339 timestamps as logplex writes them: <c>2025-08-08T06:58:53.550240+00:00</c>, with 0–9 fraction
/// digits (digits past the 7th are dropped: a tick is 100 ns), <c>Z</c> or <c>±hh:mm</c>. Hand-rolled on
/// UTF-8 bytes because this runs once per line and must neither allocate nor throw.
/// </summary>
public static class SyslogTimestamp
{
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset timestamp)
    {
        timestamp = default;

        // yyyy-MM-ddTHH:mm:ss is 19 bytes; the shortest full form adds "Z".
        if (text.Length < 20
            || !TryDigits(text, 0, 4, out var year)
            || text[4] != (byte)'-'
            || !TryDigits(text, 5, 2, out var month)
            || text[7] != (byte)'-'
            || !TryDigits(text, 8, 2, out var day)
            || (text[10] != (byte)'T' && text[10] != (byte)'t' && text[10] != (byte)' ')
            || !TryDigits(text, 11, 2, out var hour)
            || text[13] != (byte)':'
            || !TryDigits(text, 14, 2, out var minute)
            || text[16] != (byte)':'
            || !TryDigits(text, 17, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        // A leap second (:60) is folded into :59 rather than rejected.
        second = Math.Min(second, 59);

        var i = 19;
        long fractionTicks = 0;
        if (text[i] == (byte)'.')
        {
            i++;
            var digits = 0;
            while (i < text.Length && char.IsAsciiDigit((char)text[i]))
            {
                if (digits < 7)
                {
                    fractionTicks = (fractionTicks * 10) + (text[i] - '0');
                }

                digits++;
                i++;
            }

            if (digits is 0 or > 9)
            {
                return false;
            }

            for (var d = Math.Min(digits, 7); d < 7; d++)
            {
                fractionTicks *= 10;
            }
        }

        if (i >= text.Length)
        {
            return false;
        }

        long offsetMinutes;
        if (text[i] is (byte)'Z' or (byte)'z')
        {
            offsetMinutes = 0;
            i++;
        }
        else if (text[i] is (byte)'+' or (byte)'-')
        {
            if (text.Length - i < 6
                || !TryDigits(text, i + 1, 2, out var offsetHours)
                || text[i + 3] != (byte)':'
                || !TryDigits(text, i + 4, 2, out var offsetMins)
                || offsetHours > 14 || offsetMins > 59 || (offsetHours == 14 && offsetMins > 0))
            {
                return false;
            }

            offsetMinutes = (offsetHours * 60) + offsetMins;
            if (text[i] == (byte)'-')
            {
                offsetMinutes = -offsetMinutes;
            }

            i += 6;
        }
        else
        {
            return false;
        }

        if (i != text.Length)
        {
            return false;
        }

        var localTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        var offsetTicks = offsetMinutes * TimeSpan.TicksPerMinute;
        var utcTicks = localTicks - offsetTicks;

        // DateTimeOffset throws when the UTC instant falls outside year 1–9999; check first so we never throw.
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        timestamp = new DateTimeOffset(localTicks, new TimeSpan(offsetTicks));
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = text[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }
}
