namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>
/// When test traffic happened. The hosts a test starts compare history with the real clock (the retention sweep at
/// start, the seeder, relative <c>from=-1h</c> ranges), so traffic stamped on a fixed calendar date falls out of
/// retention once enough days have passed: it is stamped relative to the day the run started instead.
/// </summary>
public static class TestTime
{
    /// <summary>00:00 UTC of the day before the run started: a day boundary, so hours and minutes in the tests stay
    /// aligned, and well inside any retention window whatever the date (also under <c>faketime</c>).</summary>
    public static readonly DateTimeOffset Day = new(DateTime.UtcNow.Date.AddDays(-1), TimeSpan.Zero);

    /// <summary><paramref name="hour"/>:00 UTC of <see cref="Day"/>.</summary>
    public static DateTimeOffset At(int hour) => Day.AddHours(hour);

    /// <summary>The syslog (RFC 5424) form of a time, as Logplex writes it.</summary>
    public static string Syslog(DateTimeOffset time) =>
        time.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><see cref="At"/>(10) in syslog form: the stamp of hand-written frames in the bad-input tests.</summary>
    public static readonly string SyslogTen = Syslog(At(10));
}
