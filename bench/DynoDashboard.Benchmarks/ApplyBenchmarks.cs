using BenchmarkDotNet.Attributes;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Benchmarks;

/// <summary>
/// Parse and apply to the live store, as the ingestion service does per batch, next to parse alone into a sink
/// that keeps nothing: the difference is what filing lines into the store costs. The same ~100 KiB body is
/// applied again and again, so the store is in steady state (buffers full, dynos known) after warm-up.
/// <c>RecordAhead</c> and <c>ReplayIntoStore</c> split <c>ParseAndApply</c> the way ingestion does with parse workers:
/// the first runs on a worker thread, the second on the applying thread, so the second is what bounds throughput.
/// </summary>
[MemoryDiagnoser]
public class ApplyBenchmarks
{
    private byte[] _body = [];
    private HerokuLogParser _parser = null!;
    private LiveStore _store = null!;
    private ParsedBody _ahead = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = DrainBodyGenerator.Generate();
        _parser = new HerokuLogParser();
        _store = new LiveStore(new LiveStoreOptions());
        var result = ParseIntoStore();
        _ahead = new ParsedBody();
        _ahead.Parse(_parser, _body);
        Console.WriteLine($"// body bytes: {_body.Length}, {result}");
    }

    [Benchmark(Baseline = true)]
    public int ParseOnly()
    {
        var sink = default(CountingSink);
        return _parser.ParseLogplexBody(_body, ref sink).Frames;
    }

    [Benchmark]
    public int ParseAndApply() => ParseIntoStore().Frames;

    [Benchmark]
    public int RecordAhead() => _ahead.Parse(_parser, _body).Frames;

    [Benchmark]
    public int ReplayIntoStore()
    {
        var sink = _store.GetWriter("bench");
        _ahead.Replay(ref sink);
        return _ahead.Count;
    }

    private DrainParseResult ParseIntoStore()
    {
        // Typed as the interface, exactly as IngestionService holds it.
        var sink = _store.GetWriter("bench");
        return _parser.ParseLogplexBody(_body, ref sink);
    }
}
