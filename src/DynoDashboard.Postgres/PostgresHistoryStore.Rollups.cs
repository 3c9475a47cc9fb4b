using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using Npgsql;

namespace DynoDashboard.Postgres;

/// <summary>
/// Rollups are one row per dyno-minute, so a minute's requests that arrive over many writes are read back, merged
/// and replaced inside the write (the embedded store keeps them open in memory instead; here nothing is cached, so
/// a restart or a second instance cannot lose or double a minute). COPY cannot upsert: the minutes go in as arrays
/// through one <c>INSERT … SELECT unnest … ON CONFLICT</c>, still one statement per write.
/// </summary>
public sealed partial class PostgresHistoryStore
{
    private static void UpsertRollups(NpgsqlConnection connection, IReadOnlyList<HistoryBatch> batches)
    {
        var facts = new Dictionary<(string App, DynoName Dyno, long Minute), List<RouterFact>>();
        foreach (var batch in batches)
        {
            foreach (var fact in batch.Requests)
            {
                var key = (batch.App, fact.RollupDyno, MinuteOf(fact.Time));
                if (!facts.TryGetValue(key, out var list))
                {
                    facts[key] = list = [];
                }

                list.Add(fact);
            }
        }

        if (facts.Count == 0)
        {
            return;
        }

        var apps = facts.Keys.Select(k => k.App).ToArray();
        var dynos = facts.Keys.Select(k => k.Dyno.Value).ToArray();
        var minutes = facts.Keys.Select(k => MinuteStart(k.Minute)).ToArray();
        var stored = ReadStoredMinutes(connection, apps, dynos, minutes);

        var lastRequests = new DateTimeOffset[facts.Count];
        var data = new byte[facts.Count][];
        var i = 0;
        foreach (var (key, requests) in facts)
        {
            var minute = stored.GetValueOrDefault(key) ?? new RollupMinute(key.App, key.Dyno, key.Minute);
            foreach (var request in requests)
            {
                minute.Add(request);
            }

            lastRequests[i] = minute.LastRequest.ToUniversalTime();
            data[i] = minute.Encode();
            i++;
        }

        using var upsert = new NpgsqlCommand(
            """
            INSERT INTO rollups (app, dyno, t, last_request, data)
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bytea[])
            ON CONFLICT (app, dyno, t) DO UPDATE SET last_request = excluded.last_request, data = excluded.data
            """, connection)
        {
            Parameters =
            {
                new() { Value = apps }, new() { Value = dynos }, new() { Value = minutes },
                new() { Value = lastRequests }, new() { Value = data },
            },
        };
        upsert.ExecuteNonQuery();
    }

    /// <summary>The stored minutes among the keys, locked until the write commits.</summary>
    private static Dictionary<(string App, DynoName Dyno, long Minute), RollupMinute> ReadStoredMinutes(
        NpgsqlConnection connection, string[] apps, string[] dynos, DateTimeOffset[] minutes)
    {
        using var command = new NpgsqlCommand(
            """
            SELECT r.app, r.dyno, r.t, r.last_request, r.data
            FROM rollups r JOIN unnest($1::text[], $2::text[], $3::timestamptz[]) AS k (app, dyno, t)
                ON r.app = k.app AND r.dyno = k.dyno AND r.t = k.t
            FOR UPDATE OF r
            """, connection)
        {
            Parameters = { new() { Value = apps }, new() { Value = dynos }, new() { Value = minutes } },
        };
        using var reader = command.ExecuteReader();
        var stored = new Dictionary<(string, DynoName, long), RollupMinute>();
        while (reader.Read())
        {
            var minute = ReadRollupMinute(reader);
            stored[(minute.App, minute.Dyno, minute.Minute)] = minute;
        }

        return stored;
    }

    private static DateTimeOffset MinuteStart(long minute) => new(minute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
