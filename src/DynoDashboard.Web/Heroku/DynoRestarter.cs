using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Heroku;

/// <summary>
/// Restarts dynos through the Platform API with guards and an audit trail. Guards: never while the dyno's
/// previous restart is still in progress (its incarnation not yet replaced); for automatic restarts also a
/// cooldown per dyno and a maximum per app per hour. Every request, refused or not, is audited, in memory and in the
/// <see cref="IOperationsLog"/>; the stored audit is read back at start, so the guards also hold across a restart.
/// </summary>
public sealed class DynoRestarter(
    HerokuPlatformClient platform,
    LiveStore store,
    IOptions<HerokuOptions> options,
    TimeProvider time,
    IOperationsLog log)
{
    /// <summary>Audit entries kept in memory; a day of a busy fleet's restarts.</summary>
    internal const int AuditCapacity = 1_000;

    private readonly Lock _lock = new();
    // Read on first use (under _lock, or by the one restart path): history's database may not be reached yet when
    // this is constructed. PublicationOnly: a read that fails is tried again next time, not remembered.
    private readonly Lazy<RingBuffer<RestartRecord>> _audit = new(() => Load(log), LazyThreadSafetyMode.PublicationOnly);
    private readonly HashSet<(string App, string Dyno)> _inFlight = [];

    public bool Enabled => options.Value.RestartEnabled;

    /// <summary>The app's restarts, newest first.</summary>
    public IReadOnlyList<RestartRecord> GetAudit(string app)
    {
        lock (_lock)
        {
            return [.. _audit.Value.Where(r => string.Equals(r.App, app, StringComparison.Ordinal)).Reverse()];
        }
    }

    public async Task<RestartRecord> RestartAsync(string app, DynoName dyno, string requestedBy, bool automatic, string reason,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var incarnation = store.GetDynos(app)?.FirstOrDefault(d => d.Name == dyno)?.Incarnation;
        var key = (app, dyno.Value);
        string? refusal;
        lock (_lock)
        {
            refusal = Refusal(app, dyno, automatic, now, incarnation);
            if (refusal is null && !_inFlight.Add(key))
            {
                refusal = "A restart of this dyno is being sent right now.";
            }
        }

        if (refusal is not null)
        {
            return Audit(new RestartRecord(now, app, dyno.Value, requestedBy, automatic, reason, false, 0, refusal, incarnation));
        }

        try
        {
            var answer = await platform.RestartDynoAsync(app, dyno.Value, cancellationToken);
            return Audit(new RestartRecord(now, app, dyno.Value, requestedBy, automatic, reason, answer.Succeeded,
                answer.StatusCode, answer.Summary, incarnation));
        }
        finally
        {
            lock (_lock)
            {
                _inFlight.Remove(key);
            }
        }
    }

    private string? Refusal(string app, DynoName dyno, bool automatic, DateTimeOffset now, string? incarnation)
    {
        var settings = options.Value;
        if (!settings.RestartEnabled)
        {
            return "Restart is off: no Heroku:ApiToken is configured.";
        }

        var previous = _audit.Value.LastOrDefault(r => r.Performed && r.App == app && r.Dyno == dyno.Value);
        if (previous is not null && now - previous.Time < TimeSpan.FromMinutes(settings.RestartSettleMinutes)
            && (incarnation is null || incarnation == previous.IncarnationBefore))
        {
            return $"The restart of {dyno} at {previous.Time:HH:mm:ss} is still in progress (no new incarnation yet).";
        }

        if (!automatic)
        {
            return null;
        }

        if (previous is not null && now - previous.Time < TimeSpan.FromMinutes(settings.RestartCooldownMinutes))
        {
            return $"Cooldown: {dyno} was restarted at {previous.Time:HH:mm:ss}; automatic restarts wait {settings.RestartCooldownMinutes} min.";
        }

        var lastHour = _audit.Value.Count(r => r.Performed && r.Automatic && r.App == app && now - r.Time < TimeSpan.FromHours(1));
        return lastHour >= settings.MaxRestartsPerAppPerHour
            ? $"Limit: {lastHour} automatic restarts of {app} in the last hour (Heroku:MaxRestartsPerAppPerHour = {settings.MaxRestartsPerAppPerHour})."
            : null;
    }

    private static RingBuffer<RestartRecord> Load(IOperationsLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var audit = new RingBuffer<RestartRecord>(AuditCapacity);
        foreach (var restart in log.GetRestarts(AuditCapacity).Reverse())
        {
            audit.Add(restart);
        }

        return audit;
    }

    private RestartRecord Audit(RestartRecord record)
    {
        lock (_lock)
        {
            _audit.Value.Add(record);
            log.AddRestart(record);
        }

        return record;
    }
}
