using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Benchmarks;

/// <summary>Counts calls so the JIT cannot drop the work; reads one field per line as a real sink would.</summary>
internal struct CountingSink : IHerokuLineSink
{
    public int Calls;

    public void OnRuntimeSample(in RuntimeSampleLine line) => Calls += line.Message.Length > 0 ? 1 : 0;

    public void OnRouterRequest(in RouterRequest request) => Calls += request.Status ?? 1;

    public void OnDynoEvent(DynoEvent dynoEvent) => Calls++;

    public void OnAppLine(in AppLine line) => Calls++;

    public void OnRawLine(in RawLine line) => Calls++;
}
