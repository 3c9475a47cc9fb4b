using System.Globalization;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Tests.Live;
using LiteDB;
using static DynoDashboard.Core.Tests.History.LiteDbHistoryStoreTests;

namespace DynoDashboard.Core.Tests.History;

/// <summary>Runtime samples stored as one document per dyno-hour, and files written in the per-minute layout.</summary>
public sealed class SampleHourTests : IDisposable
{
    // 12:00 UTC: an hour's start.
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private static readonly DynoName s_web1 = new("web.1");
    private readonly TempHistoryFile _file = new();

    [Fact]
    public void Write_ReadingsEitherSideOfAnHourBoundary_OneDocumentPerHourAndSeriesInTimeOrder()
    {
        using var store = _file.Open();
        // A reading every 20 s from 12:00 to 13:59:40, one write each as the writer does: two hours, two documents.
        for (var i = 0; i < 360; i++)
        {
            store.Write([Batch("myapp", b => TestLines.Load(b, s_t0.AddSeconds(20 * i), "web.1", i))]);
        }

        var across = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0.AddMinutes(59), s_t0.AddMinutes(61));
        // Starting inside an hour: the hour's document is read, readings before the start are not returned.
        var inside = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0.AddMinutes(90).AddSeconds(1), s_t0.AddHours(3));

        Assert.Equal(2, store.CountDocuments().SampleHours);
        Assert.Equal([177.0, 178, 179, 180, 181, 182, 183], across.Select(p => p.V));
        Assert.Equal(s_t0.AddMinutes(59), across[0].T);
        Assert.Equal(s_t0.AddMinutes(61), across[^1].T);
        Assert.Equal(Enumerable.Range(271, 89).Select(i => (double)i), inside.Select(p => p.V));
        Assert.Equal(s_t0.AddMinutes(119).AddSeconds(40), store.GetNewest().Samples);
    }

    [Fact]
    public void Write_LateSamplesIntoAnHourNoLongerOpen_MergeWithTheStoredHourInTimeOrder()
    {
        using (var store = _file.Open())
        {
            store.Write([Batch("myapp", b =>
            {
                for (var i = 0; i < 10; i++)
                {
                    TestLines.Load(b, s_t0.AddMinutes(i), "web.1", i);
                }
            })]);
            // The next hour's writes leave 12:00 idle long enough to drop it from the open documents.
            for (var w = 0; w < 130; w++)
            {
                store.Write([Batch("myapp", b => TestLines.Load(b, s_t0.AddHours(1).AddSeconds(20 * w), "web.1", 100))]);
            }

            // The other half of the 12:05 reading, and a reading between 12:05 and 12:06 that was never there.
            store.Write([Batch("myapp", b =>
            {
                TestLines.Memory(b, s_t0.AddMinutes(5).AddMilliseconds(400), "web.1", 250);
                TestLines.Load(b, s_t0.AddMinutes(5).AddSeconds(30), "web.1", 5.5);
            })]);
        }

        using var reopened = _file.Open();
        var hour = reopened.ReadSamples(s_t0).Where(s => s.Sample.Time < s_t0.AddHours(1)).Select(s => s.Sample).ToList();

        Assert.Equal(2, reopened.CountDocuments().SampleHours);
        Assert.Equal(11, hour.Count);
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 5.5, 6, 7, 8, 9], hour.Select(s => s.Load1m));
        Assert.Equal(s_t0.AddMinutes(5), hour[5].Time);
        Assert.Equal(250, hour[5].MemoryRssMb);
    }

    [Fact]
    public void Sweep_CutoffInsideAnHour_KeepsThatWholeHourDocumentAndDeletesOlderHours()
    {
        using var store = _file.Open();
        store.Write([Batch("myapp", b =>
        {
            for (var i = 0; i < 3 * 180; i++)
            {
                TestLines.Load(b, s_t0.AddSeconds(20 * i), "web.1", i);
            }
        })]);

        // 13:30: the 12:00 hour is wholly older and goes; the 13:00 hour is partly inside retention and stays whole.
        var deleted = store.Sweep(s_t0.AddMinutes(90), 1_000);

        Assert.Equal(1, deleted);
        Assert.Equal(2, store.CountDocuments().SampleHours);
        var kept = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Equal(s_t0.AddHours(1), kept[0].T);
        Assert.Equal(360, kept.Count);
        Assert.Equal(1, store.Sweep(s_t0.AddHours(2), 1_000));
    }

    [Fact]
    public void Open_FileWrittenInThePerMinuteLayout_ReadsSeedsWritesSweepsAndRenamesIt()
    {
        // The old layout, built by hand: one document per dyno-minute, 12:00–12:09, three readings each; the 12:05
        // reading has only its load half (its memory half arrives after the upgrade).
        Directory.CreateDirectory(_file.Folder);
        using (var db = new LiteDatabase(new ConnectionString { Filename = _file.Path, Connection = ConnectionType.Direct }))
        {
            var samples = db.GetCollection(LiteDbHistoryStore.SamplesName);
            samples.EnsureIndex("t");
            for (var m = 0; m < 10; m++)
            {
                samples.Insert(OldMinute("myapp", "web.1", s_t0.AddMinutes(m), [(0, m, m == 5 ? null : 200 + m), (20, m + 0.2, 200 + m), (40, m + 0.4, 200 + m)]));
            }

            db.GetCollection(LiteDbHistoryStore.AppsName).Insert(new BsonDocument { ["_id"] = "myapp" });
        }

        using (var store = _file.Open())
        {
            var load = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1));
            Assert.Equal(30, load.Count);
            Assert.Equal(5.4, load[17].V);
            Assert.Equal(s_t0.AddMinutes(9).AddSeconds(40), store.GetNewest().Samples);

            // New readings of the same hour go into the hour document, whose id is the old 12:00 minute's: that
            // minute's readings become part of the hour. The late half merges with the old 12:05 load half on read.
            store.Write([Batch("myapp", b =>
            {
                TestLines.Memory(b, s_t0.AddMinutes(5).AddMilliseconds(300), "web.1", 205);
                TestLines.Load(b, s_t0.AddMinutes(10), "web.1", 10);
            })]);
        }

        using (var store = _file.Open())
        {
            var load = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1));
            var rss = store.GetSeries("myapp", s_web1, RuntimeMetric.MemoryRss, s_t0, s_t0.AddHours(1));
            Assert.Equal(31, load.Count);
            Assert.Equal([0.0, 0.2, 0.4, 1], load.Take(4).Select(p => p.V));
            Assert.Equal(10, load[^1].V);
            Assert.Equal(30, rss.Count);
            Assert.Equal((s_t0.AddMinutes(5), 205.0), (rss[15].T, rss[15].V));
            Assert.Equal(10, store.CountDocuments().SampleHours);
            Assert.True(store.HasDyno("myapp", s_web1));

            var live = new LiveStore(new LiveStoreOptions());
            HistorySeeder.Seed(store, live, new LiveStoreOptions());
            var seeded = live.GetSeries("myapp", s_web1, RuntimeMetric.MemoryRss, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
            Assert.Equal(rss, seeded);
            Assert.Equal(load, live.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));

            Assert.Equal(AppRenameResult.Renamed, store.RenameApp("myapp", "renamed"));
            Assert.Equal(load, store.GetSeries("renamed", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1)));

            // The hour document and the nine minute documents of 12:00 all go once the whole hour is older.
            Assert.Equal(0, store.Sweep(s_t0.AddMinutes(30), 1_000));
            Assert.Equal(10, store.Sweep(s_t0.AddHours(1), 1_000));
        }
    }

    [Fact]
    public void Write_DenseHourInManyWrites_StoredInSegmentsAndEachWriteEncodesOnlyItsTail()
    {
        // One reading every 2 s for an hour (1,800, ten times Heroku's rate), written as the writer does: 60 writes.
        using (var store = _file.Open())
        {
            for (var w = 0; w < 60; w++)
            {
                store.Write([Batch("myapp", b =>
                {
                    for (var i = 0; i < 30; i++)
                    {
                        var n = (w * 30) + i;
                        TestLines.Load(b, s_t0.AddSeconds(2 * n), "web.1", n);
                    }
                })]);
            }

            Assert.Equal(8, store.CountDocuments().SampleHours); // ceil(1,800 / 256)
            // Re-encoding the whole hour at every write would have cost 60 × 30 × 61 / 2 = 54,900 readings.
            Assert.True(store.SampleReadingsEncoded <= 1_800 + (60 * SampleHour.SegmentSize),
                $"encoded {store.SampleReadingsEncoded} readings");
        }

        using (var store = _file.Open())
        {
            var all = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1));
            Assert.Equal(Enumerable.Range(0, 1_800).Select(n => (double)n), all.Select(p => p.V));
            Assert.Equal(s_t0.AddSeconds(2 * 1_799), store.GetNewest().Samples);

            // A range inside the hour's first minute and one inside a later segment.
            Assert.Equal(30, store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddSeconds(59)).Count);
            var late = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0.AddMinutes(50), s_t0.AddMinutes(51));
            Assert.Equal(Enumerable.Range(1_500, 31).Select(n => (double)n), late.Select(p => p.V));
            Assert.Equal(1_800, store.ReadSamples(s_t0.AddHours(-1)).Count());
        }
    }

    [Fact]
    public void Write_LateReadingIntoAnEarlySegment_ResegmentsWithoutLossOrDuplicates()
    {
        using (var store = _file.Open())
        {
            store.Write([Batch("myapp", b =>
            {
                for (var n = 0; n < 600; n++)
                {
                    TestLines.Load(b, s_t0.AddSeconds(4 * n), "web.1", n);
                }
            })]);
            // Between readings 10 and 11: it shifts every later reading by one place, across segment boundaries.
            store.Write([Batch("myapp", b => TestLines.Load(b, s_t0.AddSeconds(42), "web.1", -1))]);
        }

        using (var store = _file.Open())
        {
            var all = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1));
            Assert.Equal(601, all.Count);
            Assert.Equal(-1, all[11].V);
            Assert.Equal(all.OrderBy(p => p.T).Select(p => p.T), all.Select(p => p.T));
            Assert.Equal(3, store.CountDocuments().SampleHours);

            // Reopened for writing after a restart: the stored segments are read back, not written again.
            var before = store.SampleReadingsEncoded;
            store.Write([Batch("myapp", b => TestLines.Load(b, s_t0.AddSeconds(2_500), "web.1", 1_000))]);
            Assert.InRange(store.SampleReadingsEncoded - before, 1, SampleHour.SegmentSize);
            Assert.Equal(602, store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1)).Count);

            Assert.Equal(AppRenameResult.Renamed, store.RenameApp("myapp", "renamed"));
            Assert.Equal(602, store.GetSeries("renamed", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1)).Count);
            Assert.Equal(3, store.Sweep(s_t0.AddHours(1), 1_000)); // every segment of the hour
        }
    }

    [Fact]
    public void Write_IntoAnHourStoredWholeBeforeSegments_RewritesItAsSegmentsWithoutDuplicates()
    {
        // The layout of the previous version: one document for the whole hour, however many readings it holds.
        var hour = new SampleHour("myapp", s_web1, s_t0.UtcTicks / TimeSpan.TicksPerMinute);
        for (var n = 0; n < 700; n++)
        {
            hour.Add(RuntimeSample.Empty(s_t0.AddSeconds(4 * n)) with { Load1m = n }, "heroku.1.aaaa");
        }

        Directory.CreateDirectory(_file.Folder);
        using (var db = new LiteDatabase(new ConnectionString { Filename = _file.Path, Connection = ConnectionType.Direct }))
        {
            var samples = db.GetCollection(LiteDbHistoryStore.SamplesName);
            samples.EnsureIndex("t");
            samples.Insert(LiteDbHistoryStore.SampleDocument(hour));
            db.GetCollection(LiteDbHistoryStore.AppsName).Insert(new BsonDocument { ["_id"] = "myapp" });
        }

        using var store = _file.Open();
        Assert.Equal(700, store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1)).Count);

        store.Write([Batch("myapp", b => TestLines.Load(b, s_t0.AddSeconds(2_802), "web.1", 700))]);

        var all = store.GetSeries("myapp", s_web1, RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1));
        Assert.Equal(Enumerable.Range(0, 701).Select(n => (double)n), all.Select(p => p.V));
        Assert.Equal(3, store.CountDocuments().SampleHours);
    }

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// A sample document exactly as the per-minute layout wrote it, encoded here by hand rather than by
    /// <see cref="SampleHour"/>: count, incarnations, then per reading its tick offset, incarnation index,
    /// present and repeated masks and values. Readings carry Load1m (metric 0) and optionally MemoryRss (metric 4).
    /// </summary>
    private static BsonDocument OldMinute(string app, string dyno, DateTimeOffset minute, (int Second, double Load, double? Rss)[] readings)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write7BitEncodedInt(readings.Length);
            writer.Write7BitEncodedInt(1);
            writer.Write("heroku.1.aaaa");
            foreach (var (second, load, rss) in readings)
            {
                writer.Write7BitEncodedInt64(second * TimeSpan.TicksPerSecond);
                writer.Write7BitEncodedInt(1);
                writer.Write((ushort)(rss is null ? 0b1 : 0b1_0001));
                writer.Write((ushort)0);
                writer.Write(load);
                if (rss is { } value)
                {
                    writer.Write(value);
                }
            }
        }

        var minutes = minute.UtcTicks / TimeSpan.TicksPerMinute;
        return new BsonDocument
        {
            ["_id"] = string.Concat(app, "/", dyno, "/", minutes.ToString("D10", CultureInfo.InvariantCulture)),
            ["a"] = app,
            ["d"] = dyno,
            ["t"] = minute.UtcTicks,
            ["s"] = stream.ToArray(),
        };
    }
}
