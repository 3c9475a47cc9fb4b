using System.Globalization;

namespace DynoDashboard.LoadGen;

/// <summary>Samples the server's resident set (VmRSS from /proc/PID/status) every 10 s into a CSV.</summary>
public sealed class RssSampler(int pid, string csvPath)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public async Task RunAsync(Func<long> linesAccepted, CancellationToken cancellationToken)
    {
        await using var csv = new StreamWriter(csvPath, append: false);
        await csv.WriteLineAsync("elapsed_s,rss_mb,lines_accepted");
        var started = DateTime.UtcNow;
        using var timer = new PeriodicTimer(Interval);
        do
        {
            var rssKb = ReadRssKb(pid);
            var elapsed = (DateTime.UtcNow - started).TotalSeconds;
            await csv.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{elapsed:0},{rssKb / 1024.0:0.0},{linesAccepted()}"));
            await csv.FlushAsync(CancellationToken.None);
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    public static long ReadRssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"No VmRSS in /proc/{pid}/status.");
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
