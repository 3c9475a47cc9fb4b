using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/DynoDashboard.Benchmarks -- --filter '*'` runs every benchmark;
// docs/perf.md lists the figures and the exact commands.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
