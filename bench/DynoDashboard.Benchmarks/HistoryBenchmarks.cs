using BenchmarkDotNet.Attributes;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Benchmarks;

/// <summary>
/// History write cost per second of the load (100 dynos + 5,000 router lines/s), and series query times
/// over a file holding 7 days × 100 dynos. Mean time of <see cref="WriteOneSecond"/> ÷ 1 s = share of one core.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through GlobalCleanup.")]
public class HistoryWriteBenchmarks
{
    private string _folder = "";
    private LiteDbHistoryStore _store = null!;
    private DateTimeOffset _next;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "dynodash-bench", Guid.NewGuid().ToString("N"));
        _store = new LiteDbHistoryStore(Path.Combine(_folder, "write.db"), 100_000);
        _next = HistoryTraffic.Start;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>One flush: a second of traffic, written in one transaction. Time moves on with every call.</summary>
    [Benchmark]
    public void WriteOneSecond()
    {
        _store.Write(HistoryTraffic.Second(_next));
        _next = _next.AddSeconds(1);
    }
}

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through GlobalCleanup.")]
public class HistoryQueryBenchmarks
{
    private LiteDbHistoryStore _store = null!;
    private DateTimeOffset _end;
    private int _dyno;

    [GlobalSetup]
    public void Setup()
    {
        _store = new LiteDbHistoryStore(HistoryTraffic.SevenDayFile(), 1_000);
        _end = HistoryTraffic.Start.AddDays(7);
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    /// <summary>The last 24 h of one dyno's memory, as the API serves it (downsampled to 1,000 points).</summary>
    [Benchmark]
    public int Series24Hours() => Series(TimeSpan.FromHours(24));

    [Benchmark]
    public int Series7Days() => Series(TimeSpan.FromDays(7));

    private int Series(TimeSpan span)
    {
        // A different dyno each call, so no call is served from pages the previous one just read.
        var dyno = new DynoName($"web.{(_dyno++ % HistoryTraffic.Dynos) + 1}");
        var points = _store.GetSeries("bench-app", dyno, RuntimeMetric.MemoryRss, _end - span, _end);
        return SeriesDownsampler.Downsample(points, 1_000).Count;
    }
}
