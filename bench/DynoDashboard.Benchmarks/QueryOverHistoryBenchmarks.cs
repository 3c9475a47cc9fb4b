using System.Globalization;
using BenchmarkDotNet.Attributes;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Benchmarks;

/// <summary>
/// The <see cref="QueryBenchmarks"/> target with the lines in history: LiteDB files holding 1,000,000 rows, 90 % app
/// output lines and 10 % H12 router errors (stored as events). The dense file has the live case's density (10 ms apart: ~2.8 h, ~360,000 rows
/// in the last hour); the day file spreads them over 24 h (~42,000 in the last hour). A default-sized live store holds
/// the newest 20,000 rows, as re-seeding leaves it; the search reads those live and the rest of the hour from history
/// through <see cref="HistoryLogLineSource"/>, exactly as the API does. A class of its own so that its process holds
/// what a server holds (a 20,000-line buffer), not the other class's million-line live store.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through GlobalCleanup.")]
public class QueryOverHistoryBenchmarks
{
    private const string App = "bench";
    private const int HistoryRows = 1_000_000;
    private static readonly DateTimeOffset s_historyStart = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private HistorySearch? _dense;
    private HistorySearch? _day;
    private LogQuery _freeText = null!;
    private LogQuery _status = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The same queries as QueryBenchmarks.
        _freeText = LogQuery.Parse("\"Request timeout\"").Query!;
        _status = LogQuery.Parse("status>=500").Query!;
        _dense = new HistorySearch(TimeSpan.FromMilliseconds(10));
        _day = new HistorySearch(TimeSpan.FromDays(1) / HistoryRows);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dense?.Dispose();
        _day?.Dispose();
    }

    [Benchmark]
    public int FreeTextLastHourWithHistory() => _dense!.Run(_freeText);

    /// <summary>Worst case again: every row of the hour read from LiteDB and its text read as logfmt.</summary>
    [Benchmark]
    public int StatusLastHourWithHistory() => _dense!.Run(_status);

    [Benchmark]
    public int FreeTextLastHourWithDayOfHistory() => _day!.Run(_freeText);

    /// <summary>One history file (built once into the temp folder, ~30 s) and a live store seeded from its newest rows.</summary>
    private sealed class HistorySearch : IDisposable
    {
        private readonly TimeSpan _spacing;
        private readonly LiteDbHistoryStore _store;
        private readonly HistoryLogLineSource _source;
        private readonly DateTimeOffset _from;

        public HistorySearch(TimeSpan spacing)
        {
            _spacing = spacing;
            _store = new LiteDbHistoryStore(File(), HistoryRows);
            var live = new LiveStore(new LiveStoreOptions());
            // Oldest first, as HistorySeeder refills the buffer after a restart.
            for (var i = HistoryRows - new LiveStoreOptions().RecentLinesPerApp; i < HistoryRows; i++)
            {
                Add(Row(i), live.SeedLine, live.SeedEvent);
            }

            _source = new HistoryLogLineSource(live, _store);
            _from = TimeOf(HistoryRows - 1).AddHours(-1);
            Console.WriteLine($"// history every {spacing.TotalMilliseconds} ms: {Run(LogQuery.All)} rows in the last hour");
        }

        public int Run(LogQuery query) =>
            LogSearch.Run(_source.ReadNewestFirst(App, _from, null)!.NewestFirst, query, _from, null, limit: 500).Matched;

        public void Dispose() => _store.Dispose();

        private static void Add(object row, Action<string, LogLine> line, Action<string, DynoEvent> dynoEvent)
        {
            if (row is LogLine l)
            {
                line(App, l);
            }
            else
            {
                dynoEvent(App, (DynoEvent)row);
            }
        }

        private DateTimeOffset TimeOf(int i) => s_historyStart + (_spacing * i);

        /// <summary>Row <paramref name="i"/>: an H12 router error (an event) every tenth row, app output otherwise.</summary>
        private object Row(int i)
        {
            var time = TimeOf(i);
            var dyno = new DynoName(string.Create(CultureInfo.InvariantCulture, $"web.{(i % 8) + 1}"));
            if (i % 10 == 0)
            {
                return new DynoEvent
                {
                    Time = time, Dyno = dyno, Kind = DynoEventKind.RouterError, Code = ErrorCatalog.H12,
                    Description = "Request timeout", ProcId = "router", Status = 503, ServiceMs = 30_000, Path = "/",
                    Message = string.Create(CultureInfo.InvariantCulture,
                        $"at=error code=H12 desc=\"Request timeout\" method=GET path=\"/\" host=myapp.herokuapp.com dyno={dyno.Value} connect=1ms service=30000ms status=503 bytes=0 protocol=https"),
                };
            }

            var messages = DrainBodyGenerator.AppMessages;
            return new LogLine(time, "app", dyno.Value, dyno, LineKind.App, messages[i % messages.Length]);
        }

        private string File()
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"log-search-1m-rows-lineblocks2-{_spacing.Ticks}");
            var path = Path.Combine(Path.GetTempPath(), "dynodash-bench", name + ".db");
            if (System.IO.File.Exists(path))
            {
                return path;
            }

            var building = path + ".building";
            var folder = Path.GetDirectoryName(path)!;
            // An interrupted build leaves the file and LiteDB's log beside it (….db-log.building).
            foreach (var stale in Directory.Exists(folder) ? Directory.GetFiles(folder, name + "*.building") : [])
            {
                System.IO.File.Delete(stale);
            }

            using (var store = new LiteDbHistoryStore(building, HistoryRows))
            {
                for (var start = 0; start < HistoryRows; start += 20_000)
                {
                    var batch = new HistoryBatch(App);
                    for (var i = start; i < start + 20_000; i++)
                    {
                        Add(Row(i), (_, l) => batch.Lines.Add(l), (_, e) => batch.Events.Add(e));
                    }

                    store.Write([batch]);
                }
            }

            System.IO.File.Move(building, path);
            return path;
        }
    }
}
