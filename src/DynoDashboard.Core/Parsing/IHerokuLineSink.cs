using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Parsing;

/// <summary>
/// Receives each classified line of a drain body. The parser calls exactly one method per line, in
/// body order. The ref-struct arguments point into the drain buffer and are valid only during the
/// call: a sink copies what it keeps. This keeps parsing allocation-free for router and runtime lines.
/// </summary>
public interface IHerokuLineSink
{
    void OnRuntimeSample(in RuntimeSampleLine line);

    /// <summary>A router line. Lines with an H code also arrive here; the sink derives their <see cref="DynoEvent"/>
    /// with <see cref="DynoEvent.FromRouterError"/> so that plain parsing of error lines allocates nothing.</summary>
    void OnRouterRequest(in RouterRequest request);

    /// <summary>
    /// A router line with an H code whose event a sink in front of this one already made with
    /// <see cref="DynoEvent.FromRouterError"/>. A sink that keeps the event takes this one instead of making its own:
    /// history and the live store then share one event and one message string per error (two of each cost about a
    /// sixth of the server's allocations in an H12 storm). Sinks that only count lines need not override it.
    /// </summary>
    void OnRouterError(in RouterRequest request, DynoEvent routerError) => OnRouterRequest(request);

    void OnDynoEvent(DynoEvent dynoEvent);

    void OnAppLine(in AppLine line);

    void OnRawLine(in RawLine line);
}
