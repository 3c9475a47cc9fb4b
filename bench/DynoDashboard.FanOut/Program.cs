using System.Globalization;
using DynoDashboard.FanOut;

// Connects N SignalR clients to /hubs/live, subscribes them all to one app, posts one runtime sample per interval
// to the drain and reports per-client delivery latency and missed updates; docs/perf.md has the commands.
FanOutOptions options;
try
{
    options = FanOutOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(FanOutOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await using var run = new FanOutRun(options);
var result = await run.RunAsync(stop.Token);
var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"""
    FANOUT {options.Url} app={options.App} clients={options.Clients} updates={options.Updates} interval={options.IntervalMs} ms
    connected            {result.Connected:N0} clients in {result.ConnectTime.TotalSeconds:0.0} s (failed: {result.ConnectFailures:N0})
    deliveries           {result.Delivered:N0} of {result.Expected:N0} (missed {result.Expected - result.Delivered:N0}; clients that got every update: {result.CompleteClients:N0})
    shared rounds        {result.SharedRounds:N0} messages to the first client carried 2+ updates (posts that fell in one 250-ms round)
    delivery ms          p50 {result.Percentile(0.50):0.0}  p95 {result.Percentile(0.95):0.0}  p99 {result.Percentile(0.99):0.0}  max {result.Percentile(1):0.0}
    """));
if (result.RssBeforeKiB is { } before && result.RssAfterKiB is { } after)
{
    Console.WriteLine(string.Create(inv,
        $"server VmRSS         {before / 1024.0:0.0} MB before, {after / 1024.0:0.0} MB with the clients connected = {(after - before) / (double)result.Connected:0.0} KiB per connection"));
}

return 0;
