using System.Diagnostics;
using System.Globalization;
using DynoDashboard.Core.History;

namespace DynoDashboard.Benchmarks;

/// <summary>
/// <c>-- --history-figures</c>: the figures BenchmarkDotNet cannot give. Process CPU (the writer and LiteDB's own
/// disk thread) per simulated second of the load, and bytes on disk per dyno-day of runtime metrics and
/// per million router lines (after a checkpoint, minus an empty file).
/// </summary>
internal static class HistoryFigures
{
    public static void Run()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dynodash-bench", Guid.NewGuid().ToString("N"));
        try
        {
            Cpu(folder);
            Size(folder, "runtime metrics, 10 dynos × 1 day", "per dyno-day", 10, store =>
            {
                for (var s = 0; s < 86_400; s += 20)
                {
                    var batch = new HistoryBatch("bench-app");
                    for (var d = 0; d < 10; d++)
                    {
                        HistoryTraffic.AddReading(batch, d, HistoryTraffic.Start.AddSeconds(s + d));
                    }

                    store.Write([batch]);
                }
            });
            Size(folder, "router lines, 1,000,000 over 100 dynos at 5,000/s", "per million lines", 1, store =>
            {
                for (var s = 0; s < 200; s++)
                {
                    var second = HistoryTraffic.Second(HistoryTraffic.Start.AddSeconds(s));
                    second[0].Samples.Clear();
                    store.Write(second);
                }
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Cpu(string folder)
    {
        const int Seconds = 120;
        using var store = new LiteDbHistoryStore(Path.Combine(folder, "cpu.db"), 100_000);
        var time = HistoryTraffic.Start;
        for (var i = 0; i < 10; i++, time = time.AddSeconds(1))
        {
            store.Write(HistoryTraffic.Second(time));
        }

        // Input is generated outside the measured span; only folding and writing count.
        var seconds = Enumerable.Range(0, Seconds).Select(i => HistoryTraffic.Second(time.AddSeconds(i))).ToList();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        foreach (var second in seconds)
        {
            store.Write(second);
        }

        wall.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"write: {Seconds} s of 100 dynos + 5,000 router lines/s in {wall.Elapsed.TotalSeconds:0.00} s wall, " +
            $"{cpu.TotalSeconds:0.00} s CPU = {100 * cpu.TotalSeconds / Seconds:0.0} % of one core at real time"));
    }

    private static void Size(string folder, string what, string per, int units, Action<LiteDbHistoryStore> fill)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".db");
        long empty;
        using (var store = new LiteDbHistoryStore(path, 100_000))
        {
            store.Checkpoint();
            empty = store.GetFileInfo().FileBytes;
            fill(store);
            store.Checkpoint();
            var bytes = store.GetFileInfo().FileBytes - empty;
            var (samples, rollups, _, _) = store.CountDocuments();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"size: {what}: {bytes / 1024.0 / 1024.0:0.00} MiB = {bytes / 1024.0 / units:0} KiB {per} " +
                $"({samples} sample docs, {rollups} rollup docs)"));
        }
    }
}
