using System.Globalization;
using DynoDashboard.LoadGen;

// Posts realistic Logplex bodies to a DynoDashboard on this machine and reports accepted and processed lines/s
// and drain response times; docs/perf.md has the commands behind each published figure.
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

using var load = new DrainLoad(options);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{(options.Bare ? "BARE" : "DRAIN")} {options.Url} app={options.App} seconds={options.Seconds} concurrency={options.Concurrency} body={load.MeanBodyBytes:N0} B ({load.MeanFramesPerBody:0} lines, {load.MeanBodyBytes / load.MeanFramesPerBody:0} B/line) dynos={options.Dynos} rate={(options.LinesPerSecond is { } r ? r.ToString("N0", CultureInfo.InvariantCulture) : "max")} time-scale={options.TimeScale}"));

using var samplerStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
var sampler = options.RssPid is { } pid && options.RssCsv is { } csv
    ? new RssSampler(pid, csv).RunAsync(() => load.LinesAccepted, samplerStop.Token)
    : Task.CompletedTask;

var result = await load.RunAsync(stop.Token);
await samplerStop.CancelAsync();
await sampler;

var seconds = result.PostingTime.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    posts                {result.LatenciesMs.Length:N0} in {seconds:0.0} s  (503: {result.Rejected503:N0}, other failures: {result.OtherFailures:N0})
    accepted             {result.LinesAccepted:N0} lines = {result.LinesAccepted / seconds:N0} lines/s, {result.LatenciesMs.Length * load.MeanBodyBytes / seconds / 1e6:0.0} MB/s
    response ms          p50 {result.Percentile(0.50):0.00}  p90 {result.Percentile(0.90):0.00}  p99 {result.Percentile(0.99):0.00}  max {result.Percentile(1):0.00}
    """));
if (result is { LinesProcessed: { } processed, DrainedAt: { } drainedAt })
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"processed end to end {processed:N0} lines = {processed / drainedAt.TotalSeconds:N0} lines/s (queue empty {(drainedAt - result.PostingTime).TotalSeconds:0.00} s after the last POST)"));
}

if (result.Overload is { } o)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
        runtime lines        accepted {o.RuntimeAccepted:N0}, processed {o.RuntimeProcessed:N0} (lost {o.RuntimeAccepted - o.RuntimeProcessed:N0})
        router lines         accepted {o.RouterAccepted:N0}, counted {o.RouterProcessed:N0} (lost {o.RouterAccepted - o.RouterProcessed:N0})
        shed                 {o.ShedRouterLines + o.ShedAppLines:N0} lines ({o.ShedRouterLines:N0} router, {o.ShedAppLines:N0} app) in {o.ShedBatches:N0} batches; history dropped {o.HistoryDroppedFacts:N0} facts (app lines only), ingestion waited for history {o.HistoryWaits:N0} times
        """));
}

return 0;
