using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Live;

/// <summary>An app the live store has seen. <see cref="LastSeen"/> is the newest line time (the data's clock).</summary>
public sealed record AppSummary(string Name, int DynoCount, DateTimeOffset? LastSeen);

/// <summary>One run of a dyno: a <c>dyno=heroku.&lt;app-id&gt;.&lt;uuid&gt;</c> id and when it was first and last seen.</summary>
public readonly record struct DynoIncarnation(string Id, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>
/// A reader's copy of one dyno. The "last hour" figures cover the hour before the app's newest data
/// time, not the wall clock, so replayed logs read the same as live ones.
/// </summary>
public sealed record DynoSnapshot(
    DynoName Name,
    string ProcessType,
    string? Incarnation,
    DateTimeOffset? IncarnationSince,
    DateTimeOffset? LastSeen,
    string? State,
    RuntimeSample? Latest,
    int RequestsLastHour,
    int ErrorsLastHour,
    IReadOnlyDictionary<string, int> ErrorsByCode,
    IReadOnlyList<DynoIncarnation> Incarnations);

/// <summary>Events in arrival order, oldest first, and the number of the app's newest event (pass it back as "after").</summary>
public sealed record NewEvents(IReadOnlyList<DynoEvent> Events, long Newest);

/// <summary>One point of a runtime metric series.</summary>
public readonly record struct SeriesPoint(DateTimeOffset T, double V);

/// <summary>What the store dropped to stay bounded, for <c>/api/status</c>.</summary>
public readonly record struct LiveStoreCounters(
    int Apps,
    int Dynos,
    long AppsEvicted,
    long DynosEvicted,
    long LateSamplesDropped,
    long LateRequestsDropped);
