namespace DynoDashboard.Core.Parsing;

/// <summary>What one drain body held, counted by the parser. Feeds <c>/api/status</c> and the count check
/// against <c>Logplex-Msg-Count</c>.</summary>
public readonly record struct DrainParseResult(
    int Frames,
    int RuntimeLines,
    int RouterLines,
    int EventLines,
    int AppLines,
    int RawLines,
    int Resyncs)
{
    public int Lines => RuntimeLines + RouterLines + EventLines + AppLines + RawLines;
}
