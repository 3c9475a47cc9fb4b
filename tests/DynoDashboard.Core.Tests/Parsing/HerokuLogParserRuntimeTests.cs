using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class HerokuLogParserRuntimeTests
{
    private static (RecordingSink Sink, DrainParseResult Result) Parse(byte[] body)
    {
        var sink = new RecordingSink();
        var result = new HerokuLogParser().ParseLogplexBody(body, ref sink);
        return (sink, result);
    }

    [Fact]
    public void ParseLogplexBody_RuntimeFixture_ClassifiesMetricsAndAddOns()
    {
        var (sink, result) = Parse(Fixture.Bytes("Logplex/runtime-metrics.logplex"));

        Assert.Equal(new DrainParseResult(Frames: 8, RuntimeLines: 6, RouterLines: 0, EventLines: 0, AppLines: 2, RawLines: 0, Resyncs: 0), result);
        Assert.Equal(
            [LineKind.Runtime, LineKind.Runtime, LineKind.Runtime, LineKind.Runtime, LineKind.Runtime, LineKind.Runtime, LineKind.App, LineKind.App],
            sink.Order);
    }

    [Fact]
    public void ParseLogplexBody_LoadLine_ReadsLoadAndLeavesMemoryMissing()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/runtime-metrics.logplex"));
        var load = sink.Runtime[0];

        Assert.Equal(new DynoName("web.1"), load.Dyno);
        Assert.Equal("heroku.12345678.8d2b9c1e-1f2a-4c3b-9d4e-5f6a7b8c9d0e", load.Incarnation);
        Assert.Equal(new DateTimeOffset(2016, 5, 10, 14, 22, 31, TimeSpan.Zero).AddTicks(1234560), load.Sample.Time);
        Assert.Equal(0.02, load.Sample.Load1m);
        Assert.Equal(0.06, load.Sample.Load5m);
        Assert.Equal(0.05, load.Sample.Load15m);
        Assert.True(load.Sample.HasLoad);
        Assert.False(load.Sample.HasMemory);
        Assert.True(double.IsNaN(load.Sample.MemoryQuotaMb));
        Assert.StartsWith("source=web.1 dyno=", load.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLogplexBody_MemoryLine_ReadsMegabytesAndPages()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/runtime-metrics.logplex"));
        var memory = sink.Runtime[1].Sample;

        Assert.Equal(308.66, memory.MemoryTotalMb);
        Assert.Equal(272.77, memory.MemoryRssMb);
        Assert.Equal(35.89, memory.MemoryCacheMb);
        Assert.Equal(0, memory.MemorySwapMb);
        Assert.Equal(83225, memory.MemoryPgpgIn);
        Assert.Equal(4207, memory.MemoryPgpgOut);
        Assert.Equal(512, memory.MemoryQuotaMb);
        Assert.True(double.IsNaN(memory.Load1m));
    }

    [Fact]
    public void ParseLogplexBody_LoadAndMemoryHalves_ShareDynoAndIncarnationInstances()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/runtime-metrics.logplex"));

        Assert.Same(sink.Runtime[0].Incarnation, sink.Runtime[1].Incarnation);
        Assert.Same(sink.Runtime[0].Dyno.Value, sink.Runtime[1].Dyno.Value);
    }

    [Fact]
    public void ParseLogplexBody_2015LineWithoutQuota_LeavesQuotaMissing()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/runtime-metrics.logplex"));
        var sample = sink.Runtime[2];

        Assert.Equal(new DynoName("worker.3"), sample.Dyno);
        Assert.Equal(101.10, sample.Sample.MemoryTotalMb);
        Assert.True(double.IsNaN(sample.Sample.MemoryQuotaMb));
    }

    [Fact]
    public void ParseLogplexBody_EarlyGistVariant_ReadsWholeMegabytesAndPgin()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/runtime-metrics.logplex"));
        var sample = sink.Runtime[4].Sample;

        Assert.Equal(21, sample.MemoryTotalMb);
        Assert.Equal(20, sample.MemoryRssMb);
        Assert.Equal(5, sample.MemoryPgpgIn);
        Assert.Equal(2, sample.MemoryPgpgOut);
    }

    [Fact]
    public void ParseLogplexBody_Legacy2013Measure_ExtractsDynoFromSource()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/runtime-metrics.logplex"));
        var legacy = sink.Runtime[5];

        Assert.Equal(new DynoName("web.1"), legacy.Dyno);
        Assert.Null(legacy.Incarnation);
        Assert.Equal(2.46, legacy.Sample.Load1m);
        Assert.True(double.IsNaN(legacy.Sample.Load5m));
    }

    [Theory]
    [InlineData("measure=memory_total val=300.5 units=MB", 300.5)]
    [InlineData("measure=memory_rss val=1024kB", 1)]
    public void ParseLogplexBody_LegacyMemoryMeasure_ReadsMegabytes(string tail, double expectedMb)
    {
        var body = LogplexBody.Of(LogplexBody.Syslog("heroku", "web.2", "source=heroku.99.web.2.d97d0d2e-6b59-4ed6-8b1f-9a0c2a8f3d11 " + tail, pri: 45));

        var (sink, _) = Parse(body);

        var sample = Assert.Single(sink.Runtime);
        Assert.Equal(new DynoName("web.2"), sample.Dyno);
        Assert.True(sample.Sample.MemoryTotalMb.Equals(expectedMb) || sample.Sample.MemoryRssMb.Equals(expectedMb));
    }

    [Fact]
    public void ParseLogplexBody_AddOnMetrics_AreLogfmtAppLinesWithoutDyno()
    {
        var (sink, _) = Parse(Fixture.Bytes("Logplex/runtime-metrics.logplex"));

        Assert.Collection(sink.App,
            postgres =>
            {
                Assert.Equal("heroku-postgres", postgres.ProcId);
                Assert.Null(postgres.Dyno);
                Assert.True(postgres.IsLogfmt);
            },
            redis => Assert.Equal("heroku-redis", redis.ProcId));
    }

    [Fact]
    public void ParseLogplexBody_HyphenatedSampleKeysFromDynoProcId_AreNotRuntimeSamples()
    {
        var body = LogplexBody.Of(LogplexBody.Syslog("heroku", "web.1", "source=web.1 sample#load-avg-1m=0.5 sample#memory-total=1kB"));

        var (sink, _) = Parse(body);

        Assert.Empty(sink.Runtime);
        Assert.Single(sink.App);
    }

    [Fact]
    public void ParseLogplexBody_SampleFromAppSource_IsAnAppLine()
    {
        var body = LogplexBody.Of(LogplexBody.Syslog("app", "web.1", "source=web.1 sample#load_avg_1m=0.5"));

        var (sink, _) = Parse(body);

        Assert.Empty(sink.Runtime);
        Assert.Equal(new DynoName("web.1"), Assert.Single(sink.App).Dyno);
    }

    [Fact]
    public void ParseLogplexBody_MissingSource_FallsBackToProcId()
    {
        var body = LogplexBody.Of(LogplexBody.Syslog("heroku", "worker.7", "sample#load_avg_1m=1.50 sample#load_avg_5m=bad"));

        var (sink, _) = Parse(body);

        var sample = Assert.Single(sink.Runtime);
        Assert.Equal(new DynoName("worker.7"), sample.Dyno);
        Assert.Null(sample.Incarnation);
        Assert.Equal(1.5, sample.Sample.Load1m);
        Assert.True(double.IsNaN(sample.Sample.Load5m));
    }

    [Fact]
    public void ParseLogplexBody_PriIgnored_SameLineWithAnyPriIsRuntime()
    {
        foreach (var pri in new[] { 45, 134, 158, 190, 0, 191 })
        {
            var (sink, _) = Parse(LogplexBody.Of(LogplexBody.Syslog("heroku", "web.1", "source=web.1 sample#load_avg_1m=0.1", pri: pri)));
            Assert.Single(sink.Runtime);
        }
    }
}
