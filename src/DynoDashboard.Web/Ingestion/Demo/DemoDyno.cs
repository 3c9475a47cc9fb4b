namespace DynoDashboard.Web.Ingestion.Demo;

/// <summary>Where a simulated dyno is in its life; only <see cref="Up"/> dynos take requests and report metrics.</summary>
internal enum DemoDynoState
{
    Up,
    Starting,
}

/// <summary>
/// One simulated dyno and the numbers its log-runtime-metrics lines report. Memory is modelled as the
/// process's "demand": what fits under the quota stays resident, the rest spills to swap, which is
/// what a Standard-1X dyno (no hard limit, swap allowed) does.
/// </summary>
internal sealed class DemoDyno
{
    private const double LoadWindow5m = 300;
    private const double LoadWindow15m = 900;

    private readonly double _steadyRssMb;
    private double _cacheMb;
    private double _wanderMb;
    private double _bootRssMb;

    public DemoDyno(string name, string command, double steadyRssMb)
    {
        Name = name;
        Command = command;
        _steadyRssMb = steadyRssMb;
    }

    public string Name { get; }

    /// <summary>The process command, as echoed by <c>Starting process with command …</c>.</summary>
    public string Command { get; }

    public bool IsWeb => Name.StartsWith("web.", StringComparison.Ordinal);

    /// <summary><c>heroku.&lt;app id&gt;.&lt;uuid&gt;</c>; a new one on each boot.</summary>
    public string Incarnation { get; private set; } = string.Empty;

    public DemoDynoState State { get; set; } = DemoDynoState.Up;

    public DateTimeOffset BootedAt { get; private set; }

    /// <summary>MB per minute the process keeps without freeing; zero for a healthy dyno.</summary>
    public double LeakMbPerMinute { get; private set; }

    public double RssMb { get; private set; }

    public double CacheMb => _cacheMb;

    public double SwapMb { get; private set; }

    public double TotalMb => RssMb + CacheMb + SwapMb;

    public double Load1m { get; private set; }

    public double Load5m { get; private set; }

    public double Load15m { get; private set; }

    public long PgpgIn { get; private set; }

    public long PgpgOut { get; private set; }

    /// <summary>Requests (web) or jobs (worker) finished since the last sample: drives the load average.</summary>
    public int WorkSinceSample { get; set; }

    public bool IsSwapping => SwapMb > 0;

    /// <summary>Starts a new incarnation: fresh memory, fresh page counters, quiet load.</summary>
    public void Boot(DateTimeOffset at, string incarnation, double bootRssMb, double leakMbPerMinute, Random random)
    {
        Incarnation = incarnation;
        BootedAt = at;
        _bootRssMb = bootRssMb;
        LeakMbPerMinute = leakMbPerMinute;
        RssMb = bootRssMb;
        SwapMb = 0;
        _cacheMb = 18 + random.NextDouble() * 14;
        _wanderMb = 0;
        // Loading the app and its gems pages in tens of thousands of pages before the first sample.
        PgpgIn = 60_000 + random.Next(30_000);
        PgpgOut = 2_000 + random.Next(3_000);
        Load1m = Load5m = Load15m = 0.3 + random.NextDouble() * 0.3;
        WorkSinceSample = 0;
    }

    /// <summary>Moves the model on to <paramref name="at"/>, one 20 s sample period after the previous call.</summary>
    public void Sample(DateTimeOffset at, double quotaMb, Random random, TimeSpan period)
    {
        var ageMinutes = (at - BootedAt).TotalMinutes;

        // A healthy Ruby process grows fast after boot, then settles near its steady size and wanders a little.
        _wanderMb = Math.Clamp(_wanderMb * 0.9 + Gaussian(random) * 2.5, -15, 15);
        var settled = _bootRssMb + (_steadyRssMb - _bootRssMb) * (1 - Math.Exp(-ageMinutes / 8));
        var demandMb = LeakMbPerMinute > 0
            ? _bootRssMb + LeakMbPerMinute * ageMinutes + Gaussian(random) * 1.5
            : settled + _wanderMb;

        _cacheMb = Math.Clamp(_cacheMb + Gaussian(random) * 0.8 + 0.05, 15, 60);

        // The kernel keeps resident memory just under the quota and pushes the rest out to swap.
        var residentCeiling = quotaMb - _cacheMb - (1 + random.NextDouble() * 3);
        var wasSwapping = IsSwapping;
        RssMb = Math.Max(demandMb < residentCeiling ? demandMb : residentCeiling, 50);
        SwapMb = demandMb < residentCeiling ? 0 : demandMb - residentCeiling;

        // Page counters are cumulative; swapping multiplies both directions.
        PgpgIn += 200 + random.Next(1_800) + (long)(SwapMb * (wasSwapping ? 60 : 20));
        PgpgOut += 100 + random.Next(1_200) + (long)(SwapMb * (wasSwapping ? 55 : 15));

        var workPerSecond = WorkSinceSample / period.TotalSeconds;
        WorkSinceSample = 0;
        var target = 0.02 + 0.09 * workPerSecond + Math.Abs(Gaussian(random)) * 0.04;
        if (IsSwapping)
        {
            // Threads blocked on swap I/O count towards the load average.
            target += 1.2 + SwapMb / 70;
        }

        Load1m = Math.Max(0, Load1m + (target - Load1m) * 0.6 + Gaussian(random) * 0.03);
        Load5m += (Load1m - Load5m) * (1 - Math.Exp(-period.TotalSeconds / LoadWindow5m));
        Load15m += (Load1m - Load15m) * (1 - Math.Exp(-period.TotalSeconds / LoadWindow15m));
    }

    /// <summary>A standard normal draw (Box–Muller), from the fleet's seeded generator.</summary>
    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
