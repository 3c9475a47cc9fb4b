using DynoDashboard.Benchmarks;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Tests.Parsing;

public sealed class HerokuLogParserAllocationTests
{
    [Fact]
    public void ParseLogplexBody_RouterRuntimeAndAppLinesInSteadyState_AllocatesNothing()
    {
        var body = DrainBodyGenerator.Generate();
        var parser = new HerokuLogParser();
        var warmUp = default(NoOpSink);
        var expected = parser.ParseLogplexBody(body, ref warmUp);

        var sink = default(NoOpSink);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = default(DrainParseResult);
        for (var i = 0; i < 5; i++)
        {
            result = parser.ParseLogplexBody(body, ref sink);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(expected, result);
        Assert.Equal(0, result.RawLines);
        Assert.True(result.RouterLines > 0 && result.RuntimeLines > 0 && result.AppLines > 0);
        Assert.Equal(result.Frames * 5, sink.Calls);
    }

    [Fact]
    public void ParseLogplexBody_GeneratedBody_HasTheDocumentedMix()
    {
        var body = DrainBodyGenerator.Generate();
        var sink = default(NoOpSink);

        var result = new HerokuLogParser().ParseLogplexBody(body, ref sink);

        Assert.InRange(body.Length, DrainBodyGenerator.DrainTargetBytes, DrainBodyGenerator.DrainTargetBytes + 2048);
        Assert.Equal(0, result.Resyncs);
        Assert.Equal(result.Frames, result.RouterLines + result.RuntimeLines + result.AppLines);
        Assert.InRange(result.RouterLines / (double)result.Frames, 0.62, 0.78);
        Assert.InRange(result.RuntimeLines / (double)result.Frames, 0.15, 0.25);
        Assert.InRange(result.AppLines / (double)result.Frames, 0.06, 0.14);
    }

    [Fact]
    public void ParseCliText_RouterAndRuntimeLinesInSteadyState_AllocatesNothing()
    {
        var text = "2021-11-27T09:40:37.000000+00:00 heroku[router]: at=info method=GET path=\"/\" host=h request_id=r fwd=\"1.1.1.1\" dyno=web.2 connect=1ms service=22ms status=200 bytes=656 protocol=https\n"u8.ToArray()
            .Concat("2021-11-27T09:40:40.000000+00:00 heroku[web.1]: source=web.1 dyno=heroku.1.u sample#load_avg_1m=0.02 sample#load_avg_5m=0.06 sample#load_avg_15m=0.05\n"u8.ToArray())
            .ToArray();
        var parser = new HerokuLogParser();
        var sink = default(NoOpSink);
        parser.ParseCliText(text, ref sink);

        var before = GC.GetAllocatedBytesForCurrentThread();
        parser.ParseCliText(text, ref sink);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private struct NoOpSink : IHerokuLineSink
    {
        public int Calls;

        public void OnRuntimeSample(in RuntimeSampleLine line) => Calls++;

        public void OnRouterRequest(in RouterRequest request) => Calls++;

        public void OnDynoEvent(DynoEvent dynoEvent) => Calls++;

        public void OnAppLine(in AppLine line) => Calls++;

        public void OnRawLine(in RawLine line) => Calls++;
    }
}
