using System.Diagnostics;
using System.Globalization;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using LiteDB;

namespace DynoDashboard.Benchmarks;

/// <summary>
/// <c>-- --history-figures</c>: the figures BenchmarkDotNet cannot give. Process CPU (the writer and LiteDB's own
/// disk thread) per simulated second of the load, and bytes on disk per dyno-day of runtime metrics and
/// per million router lines (after a checkpoint, minus an empty file), and the time of every single series call
/// on the 7-day file (BenchmarkDotNet's max is the slowest iteration's mean, which hides a slow call).
/// </summary>
internal static class HistoryFigures
{
    public static void Run()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dynodash-bench", Guid.NewGuid().ToString("N"));
        try
        {
            SeriesCalls(TimeSpan.FromHours(24), "24 h");
            SeriesCalls(TimeSpan.FromDays(7), "7 days");
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
            MinuteLayoutSize(folder);
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

    private static void SeriesCalls(TimeSpan span, string what)
    {
        const int Calls = 500;
        // A store of its own per span, so its first call finds LiteDB's cache empty (the OS page cache may not be).
        using var store = new LiteDbHistoryStore(HistoryTraffic.SevenDayFile(), 1_000);
        var end = HistoryTraffic.Start.AddDays(7);
        var times = new double[Calls];
        var cpu = new double[Calls];
        for (var i = 0; i < Calls; i++)
        {
            var dyno = new DynoName($"web.{(i % HistoryTraffic.Dynos) + 1}");
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var watch = Stopwatch.StartNew();
            SeriesDownsampler.Downsample(store.GetSeries("bench-app", dyno, RuntimeMetric.MemoryRss, end - span, end), 1_000);
            times[i] = watch.Elapsed.TotalMilliseconds;
            cpu[i] = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds;
        }

        // Process CPU time of the slowest call (GC threads included) tells work from waiting for a core.
        var slowest = Array.IndexOf(times, times.Max());
        var first = times[0];
        var sorted = times.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"series {what}, {Calls} single calls over 100 dynos: mean {sorted.Average():0.00} ms, median {sorted[Calls / 2]:0.00} ms, " +
            $"p99 {sorted[(Calls * 99) / 100]:0.00} ms, max {sorted[^1]:0.00} ms (CPU {cpu[slowest]:0.0} ms), " +
            $"first call {first:0.00} ms; CPU per call mean {cpu.Average():0.00} ms, max {cpu.Max():0.0} ms"));
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

    /// <summary>
    /// Baseline for the runtime-metrics size, in the same run: the same readings stored as the per-minute layout
    /// did (one document per dyno-minute, upserted whole at each write, same fields and binary layout), written
    /// through a LiteDatabase of its own on its own file.
    /// </summary>
    private static void MinuteLayoutSize(string folder)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".db");
        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var collection = db.GetCollection(LiteDbHistoryStore.SamplesName);
        collection.EnsureIndex("t");
        db.Checkpoint();
        var empty = new FileInfo(path).Length;
        var open = new Dictionary<string, SampleHour>(StringComparer.Ordinal);
        for (var s = 0; s < 86_400; s += 20)
        {
            var batch = new HistoryBatch("bench-app");
            for (var d = 0; d < 10; d++)
            {
                HistoryTraffic.AddReading(batch, d, HistoryTraffic.Start.AddSeconds(s + d));
            }

            var touched = new HashSet<SampleHour>();
            foreach (var fact in batch.Samples)
            {
                var minute = LiteDbHistoryStore.MinuteOf(fact.Sample.Time);
                var id = LiteDbHistoryStore.MinuteId(batch.App, fact.Dyno, minute);
                if (!open.TryGetValue(id, out var block))
                {
                    open[id] = block = new SampleHour(batch.App, fact.Dyno, minute);
                }

                block.Add(fact.Sample, fact.Incarnation);
                touched.Add(block);
            }

            db.BeginTrans();
            foreach (var block in touched)
            {
                collection.Upsert(LiteDbHistoryStore.SampleDocument(block));
            }

            db.Commit();
        }

        db.Checkpoint();
        var bytes = new FileInfo(path).Length - empty;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"size: baseline, the same runtime metrics in the per-minute layout: {bytes / 1024.0 / 1024.0:0.00} MiB = " +
            $"{bytes / 1024.0 / 10:0} KiB per dyno-day ({collection.LongCount()} sample docs)"));
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
