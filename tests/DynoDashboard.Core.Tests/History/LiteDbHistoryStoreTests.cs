using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

/// <summary>What only the LiteDB store does (open documents, its document layout, file size). What every store does
/// is in <see cref="HistoryStoreContract{TStore}"/>, run on this store by <see cref="LiteDbHistoryStoreContractTests"/>.</summary>
public sealed class LiteDbHistoryStoreTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = TestLines.T0;
    private readonly TempHistoryFile _file = new();

    [Fact]
    public void Write_TimeCompressedInput_KeepsOnlyMinutesNearTheNewestOpenAndLateFactsStillMerge()
    {
        using var store = _file.Open();
        // One write per data minute, as a replay or the load generator's --time-scale 60 sends them: counting
        // writes alone would hold all 90 minutes (and two hours of samples) open.
        for (var minute = 0; minute < 90; minute++)
        {
            var at = s_t0.AddMinutes(minute);
            store.Write([Batch("myapp", b =>
            {
                TestLines.Router(b, at, "web.1");
                TestLines.Load(b, at, "web.1", 0.5);
            })]);
        }

        // Rollup minutes within 5 minutes of the newest, plus the newest sample hours.
        Assert.InRange(store.OpenDocuments, 2, 9);

        // A late request for the first minute, long closed, is added to what is stored for it.
        store.Write([Batch("myapp", b => TestLines.Router(b, s_t0.AddSeconds(30), "web.1"))]);
        var first = store.ReadRollups(s_t0.AddHours(-1)).Where(r => r.Rollup.Start < s_t0.AddMinutes(1)).ToList();
        Assert.Equal(2, first.Sum(r => r.Rollup.Requests));
        Assert.Equal(91, store.ReadRollups(s_t0.AddHours(-1)).Sum(r => r.Rollup.Requests));
    }

    [Fact]
    public void Sweep_DocumentsOlderThanCutoff_DeletedInBoundedStepsNewerKept()
    {
        using var store = _file.Open();
        for (var minute = 0; minute < 10; minute++)
        {
            // One write per minute, as the writer's flushes would: each write's events are one block.
            var time = s_t0.AddMinutes(minute);
            store.Write([Batch("myapp", b =>
            {
                TestLines.Load(b, time, "web.1", minute);
                TestLines.Router(b, time, "web.1");
                TestLines.App(b, time, "web.1", "hello");
                b.OnDynoEvent(TestLines.StateChanged(time, "web.1", "starting", "up"));
            })]);
        }

        var first = store.Sweep(s_t0.AddMinutes(6), maxDeletes: 7);
        var rest = store.Sweep(s_t0.AddMinutes(6), maxDeletes: 1_000);

        // Samples are one document per hour, kept whole while any of the hour is inside retention
        // (SampleHourTests); rollups, events and lines go minute by minute.
        Assert.Equal(7, first);
        Assert.Equal((6 * 3) - 7, rest);
        Assert.Equal((1L, 4L, 4L, 4L), store.CountDocuments());
        Assert.Equal(0.0, store.GetSeries("myapp", new DynoName("web.1"), RuntimeMetric.LoadAvg1m, s_t0, s_t0.AddHours(1))[0].V);
    }

    [Fact]
    public void FileSize_SteadyIngestionWithDailyRetention_StopsGrowingOnceRetentionIsReached()
    {
        // 1 day of retention, 3 dynos, one reading per minute and a request every 10 s, for 5 simulated days.
        var retention = TimeSpan.FromDays(1);
        var sizes = new List<long>();
        using var store = _file.Open(maxLogLines: 2_000);
        for (var day = 0; day < 5; day++)
        {
            for (var hour = 0; hour < 24; hour++)
            {
                var hourStart = s_t0.AddDays(day).AddHours(hour);
                store.Write([Batch("myapp", b =>
                {
                    for (var minute = 0; minute < 60; minute++)
                    {
                        for (var dyno = 1; dyno <= 3; dyno++)
                        {
                            var time = hourStart.AddMinutes(minute);
                            TestLines.Load(b, time, $"web.{dyno}", minute / 10.0);
                            TestLines.Memory(b, time, $"web.{dyno}", 200 + minute);
                            for (var s = 0; s < 60; s += 10)
                            {
                                TestLines.Router(b, time.AddSeconds(s), $"web.{dyno}", service: 20 + s);
                            }
                        }

                        TestLines.App(b, hourStart.AddMinutes(minute), "web.1", "GET /health 200");
                    }
                })]);
                while (store.Sweep(hourStart.AddHours(1) - retention, 5_000) == 5_000)
                {
                }
            }

            store.Checkpoint();
            sizes.Add(store.GetFileInfo().FileBytes);
        }

        // Day 1 fills the retention window; from then on deletes free as many pages as the writes need.
        Assert.True(sizes[1] > sizes[0], $"the file did not grow while filling: {string.Join(", ", sizes)}");
        Assert.True(sizes[4] <= sizes[2] * 1.05, $"the file kept growing under retention: {string.Join(", ", sizes)}");
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Builds a batch through the real tee, so tests feed history exactly as ingestion does.</summary>
    internal static HistoryBatch Batch(string app, Action<IHerokuLineSink> lines, LiveStore? live = null)
    {
        var tee = new HistoryTee();
        var sink = (live ?? new LiveStore(new LiveStoreOptions())).GetWriter(app);
        lines(tee.Begin(app, sink));
        return tee.End();
    }
}
