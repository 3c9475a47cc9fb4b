using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using LiteDB;

namespace DynoDashboard.Benchmarks;

/// <summary>
/// Synthetic history input at the load: 100 dynos sending log-runtime-metrics every 20 s (two halves per
/// reading) and 5,000 router lines/s spread over them, with a 1 % H12 tail. Deterministic, so runs compare.
/// </summary>
internal static class HistoryTraffic
{
    public const int Dynos = 100;
    public const int RouterLinesPerSecond = 5_000;
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DynoName[] s_names = [.. Enumerable.Range(1, Dynos).Select(i => new DynoName($"web.{i}"))];

    /// <summary>One second of traffic as one history write: the batches a 1-s flush gathers.</summary>
    public static List<HistoryBatch> Second(DateTimeOffset second, bool router = true)
    {
        var batch = new HistoryBatch("bench-app");
        var s = (int)(second - Start).TotalSeconds;
        // Each dyno reports once per 20 s, staggered: 5 dynos per second.
        for (var d = s % 20; d < Dynos; d += 20)
        {
            AddReading(batch, d, second);
        }

        if (router)
        {
            for (var r = 0; r < RouterLinesPerSecond; r++)
            {
                var h12 = r % 100 == 0;
                batch.Requests.Add(new RouterFact(second.AddTicks(r * (TimeSpan.TicksPerSecond / RouterLinesPerSecond)),
                    s_names[r % Dynos], h12 ? 503 : 200, 1, h12 ? 30_000 : 5 + ((r * 7919) % 400), 512,
                    h12 ? ErrorCatalog.H12 : null));
            }
        }

        return [batch];
    }

    /// <summary>One reading (load and memory halves) of dyno <paramref name="d"/>.</summary>
    public static void AddReading(HistoryBatch batch, int d, DateTimeOffset time)
    {
        var wave = Math.Sin(time.ToUnixTimeSeconds() / 600.0 + d);
        var load = RuntimeSample.Empty(time) with { Load1m = 0.5 + (0.4 * wave), Load5m = 0.5, Load15m = 0.45 };
        var memory = RuntimeSample.Empty(time) with
        {
            MemoryTotalMb = 300 + (50 * wave), MemoryRssMb = 280 + (50 * wave), MemoryCacheMb = 20, MemorySwapMb = 0,
            MemoryQuotaMb = 512, MemoryPgpgIn = 1000 + time.Minute, MemoryPgpgOut = 900 + time.Minute,
        };
        const string incarnation = "heroku.145151706.aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
        batch.Samples.Add(new SampleFact(s_names[d], incarnation, load));
        batch.Samples.Add(new SampleFact(s_names[d], incarnation, memory));
    }

    /// <summary>
    /// A file holding 7 days × 100 dynos (runtime readings every 20 s, and one rollup document per dyno-minute with
    /// a few requests per 10-s bucket), built once and kept in the temp folder for later runs. A file left by an
    /// earlier layout (one sample document per dyno-minute) is deleted and rebuilt: the figures depend on it.
    /// </summary>
    public static string SevenDayFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "dynodash-bench", "seven-days-100-dynos.db");
        if (File.Exists(path))
        {
            var samples = CountSampleDocuments(path);
            if (samples == 7 * 24 * Dynos)
            {
                return path;
            }

            Console.WriteLine($"// {path} holds {samples:N0} sample documents, not one per dyno-hour: rebuilding it");
            File.Delete(path);
            File.Delete(Path.ChangeExtension(path, null) + "-log.db");
        }

        var building = path + ".building";
        foreach (var stale in Directory.Exists(Path.GetDirectoryName(path)) ? Directory.GetFiles(Path.GetDirectoryName(path)!, "*.building*") : [])
        {
            File.Delete(stale);
        }

        using (var store = new LiteDbHistoryStore(building, 1_000))
        {
            for (var hour = 0; hour < 7 * 24; hour++)
            {
                var batch = new HistoryBatch("bench-app");
                for (var s = 0; s < 3600; s += 20)
                {
                    var time = Start.AddHours(hour).AddSeconds(s);
                    for (var d = 0; d < Dynos; d++)
                    {
                        AddReading(batch, d, time.AddSeconds(d % 20));
                    }
                }

                for (var s = 0; s < 3600; s += 10)
                {
                    var time = Start.AddHours(hour).AddSeconds(s);
                    for (var d = 0; d < Dynos; d++)
                    {
                        for (var r = 0; r < 5; r++)
                        {
                            batch.Requests.Add(new RouterFact(time.AddSeconds(r), s_names[d], 200, 1, 10 + (r * 37), 512, null));
                        }
                    }
                }

                store.Write([batch]);
            }

            store.Checkpoint();
        }

        File.Move(building, path);
        return path;
    }

    private static long CountSampleDocuments(string path)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = true });
        return db.GetCollection(LiteDbHistoryStore.SamplesName).LongCount();
    }
}
