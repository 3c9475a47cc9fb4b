using BenchmarkDotNet.Attributes;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Benchmarks;

/// <summary>
/// What one ~100 KiB drain batch allocates on its way through the history tee: parse, copy the facts into a
/// <see cref="HistoryBatch"/>, end it and split its lines off (HistoryWriter.EndAsync). <see cref="Fresh"/> is the
/// path before batches were pooled (a new batch and four lists grown from empty per drain batch, lines copied into
/// a second new batch); <see cref="Pooled"/> rents both from a <see cref="HistoryBatchPool"/> and returns them, as
/// the history writer does after its flush. What is left is what history keeps: LogLine objects, their strings and
/// router-error events. <see cref="PooledIntoLiveStoreAndBlocks"/> adds the rest of a stored line's way: the live
/// store as the tee's inner writer (it keeps router errors too) and the history writer's encoding of the batch's
/// events and lines into blocks. It uses only what every version since blocks has, so it runs before and after a
/// change (copy this file into the older tree) and says what the change saves per drain batch.
/// </summary>
[MemoryDiagnoser]
public class DrainBatchAllocationBenchmarks
{
    private readonly HerokuLogParser _parser = new();
    private readonly NullSink _live = new();
    private readonly HistoryBatchPool _pool = new();
    private readonly Core.Live.LiveStore _liveStore = new(new Core.Live.LiveStoreOptions());
    private byte[] _body = [];
    private HistoryTee _freshTee = null!;
    private HistoryTee _pooledTee = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = DrainBodyGenerator.Generate();
        _freshTee = new HistoryTee();
        _pooledTee = new HistoryTee(pool: _pool);
        // Let the parser's pool see the dyno names, as a long-running receiver has.
        Fresh();
        Pooled();
        PooledIntoLiveStoreAndBlocks();
    }

    [Benchmark(Baseline = true)]
    public int Fresh()
    {
        var sink = _freshTee.Begin("bench-app", _live);
        _parser.ParseLogplexBody(_body, ref sink);
        var batch = _freshTee.End();
        // The former HistoryBatch.TakeLines: a new batch, lines copied over.
        var lines = new HistoryBatch(batch.App) { JournalPosition = batch.JournalPosition };
        lines.Lines.AddRange(batch.Lines);
        batch.Lines.Clear();
        return batch.Count + lines.Count;
    }

    [Benchmark]
    public int Pooled()
    {
        var sink = _pooledTee.Begin("bench-app", _live);
        _parser.ParseLogplexBody(_body, ref sink);
        var batch = _pooledTee.End();
        var lines = batch.TakeLines(_pool);
        var count = batch.Count + (lines?.Count ?? 0);
        // The history writer hands both back once its transaction is written.
        _pool.Return(batch);
        if (lines is not null)
        {
            _pool.Return(lines);
        }

        return count;
    }

    [Benchmark]
    public int PooledIntoLiveStoreAndBlocks()
    {
        var sink = _pooledTee.Begin("bench-app", _liveStore.GetWriter("bench-app"));
        _parser.ParseLogplexBody(_body, ref sink);
        var batch = _pooledTee.End();
        var lines = batch.TakeLines(_pool);
        var bytes = LiteDbHistoryStore.EncodeEvents(batch.Events).Length;
        if (lines is not null)
        {
            bytes += LiteDbHistoryStore.EncodeLines(lines.Lines).Length;
            _pool.Return(lines);
        }

        _pool.Return(batch);
        return bytes;
    }

    private sealed class NullSink : IHerokuLineSink
    {
        public void OnRuntimeSample(in RuntimeSampleLine line)
        {
        }

        public void OnRouterRequest(in RouterRequest request)
        {
        }

        public void OnDynoEvent(DynoEvent dynoEvent)
        {
        }

        public void OnAppLine(in AppLine line)
        {
        }

        public void OnRawLine(in RawLine line)
        {
        }
    }
}
