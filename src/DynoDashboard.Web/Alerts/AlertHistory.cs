using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;

namespace DynoDashboard.Web.Alerts;

/// <summary>
/// Every firing and resolving, newest last, bounded. Written through to the <see cref="IOperationsLog"/> and read back
/// at start, so the history survives a restart; reads stay in memory.
/// </summary>
public sealed class AlertHistory
{
    /// <summary>Transitions kept; a week of a noisy fleet's alerts.</summary>
    public const int Capacity = 5_000;

    private readonly Lock _lock = new();
    private readonly RingBuffer<AlertTransition> _transitions = new(Capacity);
    private readonly IOperationsLog _log;

    private bool _loaded;

    public AlertHistory(IOperationsLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
    }

    /// <summary>The stored transitions, read on first use (under <see cref="_lock"/>): history's database may not be
    /// reached yet when this is constructed.</summary>
    private RingBuffer<AlertTransition> Transitions
    {
        get
        {
            if (!_loaded)
            {
                foreach (var transition in _log.GetAlertTransitions(Capacity).Reverse())
                {
                    _transitions.Add(transition);
                }

                _loaded = true;
            }

            return _transitions;
        }
    }

    public void Add(AlertTransition transition)
    {
        lock (_lock)
        {
            Transitions.Add(transition);
            _log.AddAlertTransition(transition);
        }
    }

    /// <summary>Newest first, optionally for one app.</summary>
    public IReadOnlyList<AlertTransition> Get(string? app, int limit)
    {
        lock (_lock)
        {
            var transitions = Transitions;
            var result = new List<AlertTransition>(Math.Min(limit, transitions.Count));
            for (var i = transitions.Count - 1; i >= 0 && result.Count < limit; i--)
            {
                if (app is null || string.Equals(transitions[i].App, app, StringComparison.Ordinal))
                {
                    result.Add(transitions[i]);
                }
            }

            return result;
        }
    }
}
