using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/DynoDashboard.Benchmarks -- --filter '*'` runs every benchmark;
// docs/perf.md lists the figures and the exact commands.
// `-- --history-figures` prints history CPU and size figures (docs/history.md).
if (args.Contains("--history-figures"))
{
    DynoDashboard.Benchmarks.HistoryFigures.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
