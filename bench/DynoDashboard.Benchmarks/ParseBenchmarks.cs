using BenchmarkDotNet.Attributes;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Benchmarks;

/// <summary>
/// Parse throughput against the physical floor: counting newlines in the same ~100 KiB drain body with a
/// vectorised IndexOf is about the least work any reader of that buffer can do (perf-anchors G1).
/// Bytes per op are the body length, so MB/s = body bytes / mean time.
/// </summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _body = [];
    private HerokuLogParser _parser = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = DrainBodyGenerator.Generate();
        _parser = new HerokuLogParser();

        // Let the pool see the dyno names and incarnations, as a long-running receiver has.
        var sink = default(CountingSink);
        var result = _parser.ParseLogplexBody(_body, ref sink);
        Console.WriteLine($"// body bytes: {_body.Length}, {result}");
    }

    [Benchmark(Baseline = true)]
    public int CountNewlines()
    {
        var span = _body.AsSpan();
        var lines = 0;
        int index;
        while ((index = span.IndexOf((byte)'\n')) >= 0)
        {
            lines++;
            span = span[(index + 1)..];
        }

        return lines;
    }

    [Benchmark]
    public int ParseAndClassify()
    {
        var sink = default(CountingSink);
        var result = _parser.ParseLogplexBody(_body, ref sink);
        return result.Frames + sink.Calls;
    }
}
