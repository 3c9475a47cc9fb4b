using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using LiteDB;
using Microsoft.Win32.SafeHandles;

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

    /// <summary>The same second without its runtime readings: the difference is what the sample path costs (five
    /// dynos' hour documents re-encoded and upserted).</summary>
    [Benchmark(Baseline = true)]
    public void WriteOneSecondWithoutSamples()
    {
        var second = HistoryTraffic.Second(_next);
        second[0].Samples.Clear();
        _store.Write(second);
        _next = _next.AddSeconds(1);
    }
}

/// <summary>Encoding a full hour document (180 readings): done for each dyno with a new reading at every write.</summary>
public class HistoryWriteEncodeBenchmarks
{
    private SampleHour _hour = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hour = new SampleHour("bench-app", new DynoName("web.1"), LiteDbHistoryStore.MinuteOf(HistoryTraffic.Start));
        var batch = new HistoryBatch("bench-app");
        for (var s = 0; s < 3600; s += 20)
        {
            HistoryTraffic.AddReading(batch, 0, HistoryTraffic.Start.AddSeconds(s));
        }

        foreach (var fact in batch.Samples)
        {
            _hour.Add(fact.Sample, fact.Incarnation);
        }
    }

    [Benchmark]
    public int EncodeFullHour() => _hour.Encode().Length;
}

/// <summary>
/// Series queries, each with a baseline in the same run: reading, straight from the same file, as many bytes as the
/// query's sample documents hold (BSON size), in 8-KiB pages at a different place each call. The ratio is the
/// cost of LiteDB's seek, page reads and decoding over a bare read of the same data.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through GlobalCleanup.")]
public class HistoryQueryBenchmarks
{
    private const int Page = 8192;
    private static readonly TimeSpan s_day = TimeSpan.FromHours(24);
    private static readonly TimeSpan s_week = TimeSpan.FromDays(7);
    private readonly byte[] _page = new byte[Page];
    private LiteDbHistoryStore _store = null!;
    private SafeFileHandle _file = null!;
    private long _fileBytes;
    private long _dayBytes;
    private long _weekBytes;
    private long _offset;
    private DateTimeOffset _end;
    private int _dyno;

    [GlobalSetup]
    public void Setup()
    {
        var path = HistoryTraffic.SevenDayFile();
        _end = HistoryTraffic.Start.AddDays(7);
        // Sizes first, through a LiteDatabase of their own that is closed before the store opens the file
        // (one instance per file at a time).
        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = true }))
        {
            _dayBytes = DocumentBytes(db, s_day);
            _weekBytes = DocumentBytes(db, s_week);
        }

        _store = new LiteDbHistoryStore(path, 1_000);
        _file = File.OpenHandle(path);
        _fileBytes = RandomAccess.GetLength(_file);
        Console.WriteLine($"// sample document bytes of one dyno: 24 h {_dayBytes:N0}, 7 days {_weekBytes:N0}; file {_fileBytes:N0}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _file.Dispose();
        _store.Dispose();
    }

    /// <summary>The last 24 h of one dyno's memory, as the API serves it (downsampled to 1,000 points).</summary>
    [Benchmark, BenchmarkCategory("24h")]
    public int Series24Hours() => Series(s_day);

    [Benchmark(Baseline = true), BenchmarkCategory("24h")]
    public long ReadSameBytes24Hours() => ReadBytes(_dayBytes);

    [Benchmark, BenchmarkCategory("7d")]
    public int Series7Days() => Series(s_week);

    [Benchmark(Baseline = true), BenchmarkCategory("7d")]
    public long ReadSameBytes7Days() => ReadBytes(_weekBytes);

    private long ReadBytes(long bytes)
    {
        // A new place each call (a prime stride of pages through the file), as each query reads another dyno.
        _offset = (_offset + (Page * 7_919L)) % Math.Max(Page, _fileBytes - bytes - Page);
        _offset -= _offset % Page;
        long read = 0;
        while (read < bytes)
        {
            read += RandomAccess.Read(_file, _page, _offset + read);
        }

        return read;
    }

    private long DocumentBytes(LiteDatabase db, TimeSpan span)
    {
        var dyno = new DynoName("web.1");
        var from = LiteDbHistoryStore.MinuteId("bench-app", dyno, SampleHour.HourStart(LiteDbHistoryStore.MinuteOf(_end - span)));
        var to = LiteDbHistoryStore.MinuteId("bench-app", dyno, LiteDbHistoryStore.MinuteOf(_end));
        return db.GetCollection(LiteDbHistoryStore.SamplesName).Find(LiteDB.Query.Between("_id", from, to))
            .Sum(d => (long)BsonSerializer.Serialize(d).Length);
    }

    private int Series(TimeSpan span)
    {
        // A different dyno each call, so no call is served from pages the previous one just read.
        var dyno = new DynoName($"web.{(_dyno++ % HistoryTraffic.Dynos) + 1}");
        var points = _store.GetSeries("bench-app", dyno, RuntimeMetric.MemoryRss, _end - span, _end);
        return SeriesDownsampler.Downsample(points, 1_000).Count;
    }
}
