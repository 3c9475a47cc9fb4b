using BenchmarkDotNet.Attributes;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Benchmarks;

/// <summary>
/// The target: a query over the last hour of a store holding one million lines answers in ≤ 300 ms.
/// The store is a real <see cref="LiveStore"/> sized to 1,000,000 recent lines and filled by the real parser from
/// <see cref="DrainBodyGenerator"/> bodies (60/10/20/10 router info/errors/runtime/app, ~10 ms apart, so the
/// million lines span ~2.8 h and the last hour holds about a third). Every query scans all lines: the window is
/// a filter because late lines arrive out of order. Baseline: a plain ordinal <c>string.Contains</c> over the
/// same lines, about the least work any search of these strings can do.
/// </summary>
[MemoryDiagnoser]
public class QueryBenchmarks
{
    private const int Lines = 1_000_000;
    private const string App = "bench";

    private LiveStore _store = null!;
    private LiveLogLineSource _source = null!;
    private LogLine[] _newestFirst = [];
    private DateTimeOffset _from;
    private LogQuery _dynoService = null!;
    private LogQuery _freeText = null!;
    private LogQuery _status = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = new LiveStore(new LiveStoreOptions { RecentLinesPerApp = Lines });
        var writer = _store.GetWriter(App);
        var parser = new HerokuLogParser();
        // One body of ~270 MB keeps the generator's clock running across all million frames.
        var body = DrainBodyGenerator.Generate(targetBytes: Lines * 280);
        parser.ParseLogplexBody(body, ref writer);

        _source = new LiveLogLineSource(_store);
        _newestFirst = [.. _source.ReadNewestFirst(App, null, null)!.NewestFirst];
        _from = _newestFirst[0].Time.AddHours(-1);
        _dynoService = LogQuery.Parse("dyno:web.2 service>5000ms").Query!;
        _freeText = LogQuery.Parse("\"Request timeout\"").Query!;
        _status = LogQuery.Parse("status>=500").Query!;
        var inHour = _newestFirst.Count(l => l.Time >= _from);
        Console.WriteLine($"// lines: {_newestFirst.Length}, last hour: {inHour}, span: {_newestFirst[0].Time - _newestFirst[^1].Time}");
    }

    [Benchmark(Baseline = true)]
    public int ContainsScan()
    {
        var count = 0;
        foreach (var line in _newestFirst)
        {
            if (line.Time >= _from && line.Message.Contains("Request timeout", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    [Benchmark]
    public int FreeTextLastHour() => LogSearch.Run(_newestFirst, _freeText, _from, null, limit: 500).Matched;

    [Benchmark]
    public int DynoAndServiceLastHour() => LogSearch.Run(_newestFirst, _dynoService, _from, null, limit: 500).Matched;

    /// <summary>Worst case: a logfmt comparison that every line in the window has to encode and read.</summary>
    [Benchmark]
    public int StatusLastHour() => LogSearch.Run(_newestFirst, _status, _from, null, limit: 500).Matched;

    /// <summary>What the API does: copy the store's lines out of its lock (newest first), then search.</summary>
    [Benchmark]
    public int DynoAndServiceFromStore() =>
        LogSearch.Run(_source.ReadNewestFirst(App, _from, null)!.NewestFirst, _dynoService, _from, null, limit: 500).Matched;
}
