using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Analysis;

/// <summary>A finding about one dyno, with the evidence behind it.</summary>
public sealed record Insight(
    DynoName Dyno,
    string Kind,
    DateTimeOffset Since,
    string Summary,
    IReadOnlyList<OutlyingSignal> Signals)
{
    /// <summary>The dyno stands apart from its siblings on two or more signals for a sustained time.</summary>
    public const string OutlierKind = "outlier";
}
