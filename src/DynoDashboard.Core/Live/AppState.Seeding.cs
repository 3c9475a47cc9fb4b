using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Live;

/// <summary>
/// Re-seeding from history at start-up. Each method does what the matching sink method does to the dyno's
/// state, minus what history does not keep (the text of router and runtime lines).
/// </summary>
internal sealed partial class AppState
{
    public void SeedSample(DynoName name, in RuntimeSample sample, string? incarnation)
    {
        lock (_lock)
        {
            Seen(sample.Time);
            if (!GetOrAddDyno(name, sample.Time).AddSample(sample, incarnation))
            {
                _lateSamplesDropped++;
            }
        }
    }

    public void SeedRollup(DynoName name, RouterRollupSnapshot rollup, DateTimeOffset lastRequest)
    {
        lock (_lock)
        {
            Seen(lastRequest);
            var dyno = name == DynoName.NoDyno
                ? _noDyno ??= new DynoState(DynoName.NoDyno, _options)
                : GetOrAddDyno(name, lastRequest);
            dyno.SeedRollup(rollup, lastRequest);
        }
    }

    public void SeedLine(LogLine line)
    {
        lock (_lock)
        {
            // As OnRawLine: a raw line has no time of its own and does not move the app's clock.
            if (line.Kind != LineKind.Raw)
            {
                Seen(line.Time);
            }

            DynoName? dyno = line.Dyno is { } name ? GetOrAddDyno(name, line.Time).Name : null;
            _linesLost = true; // what the earlier process received but history keeps no text of is gone
            // Seeded lines already are strings; keep them as such rather than re-encoding into the byte ring.
            _lines.Add(new RecentLine(line.Time, line.Source, line.ProcId, dyno, line.Kind, default, line.Message));
        }
    }

    /// <summary>The earliest time among the events held live; null when there are none.</summary>
    public DateTimeOffset? OldestEventTime()
    {
        lock (_lock)
        {
            DateTimeOffset? oldest = null;
            for (var i = 0; i < _events.Count; i++)
            {
                var time = _events[i].Time;
                if (oldest is null || time < oldest)
                {
                    oldest = time;
                }
            }

            return oldest;
        }
    }
}
