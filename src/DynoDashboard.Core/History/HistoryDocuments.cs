using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using LiteDB;

namespace DynoDashboard.Core.History;

/// <summary>
/// Events and lines as BSON documents with one- and two-letter field names (LiteDB stores every field name in
/// every document). Optional fields are left out when empty. Times are UTC ticks: Heroku sends microseconds,
/// which a BSON date would round to milliseconds.
/// </summary>
internal static class HistoryDocuments
{
    public static BsonDocument FromEvent(string app, DynoEvent e)
    {
        var doc = new BsonDocument
        {
            ["a"] = app,
            ["t"] = e.Time.UtcTicks,
            ["k"] = (int)e.Kind,
            ["x"] = e.Description,
            ["p"] = e.ProcId,
            ["m"] = e.Message,
        };
        Optional(doc, "d", e.Dyno?.Value);
        Optional(doc, "c", e.Code?.Code);
        Optional(doc, "s", e.Source == "heroku" ? null : e.Source);
        Optional(doc, "i", e.Incarnation);
        Optional(doc, "fs", e.FromState);
        Optional(doc, "ts", e.ToState);
        Optional(doc, "pa", e.Path);
        if (e.ExitStatus is { } exit)
        {
            doc["es"] = exit;
        }

        if (e.MemoryMb is { } mb)
        {
            doc["mm"] = mb;
        }

        if (e.MemoryPercent is { } percent)
        {
            doc["mp"] = percent;
        }

        if (e.Status is { } status)
        {
            doc["st"] = status;
        }

        if (e.ServiceMs is { } service)
        {
            doc["sv"] = service;
        }

        return doc;
    }

    public static DynoEvent ToEvent(BsonDocument doc) => new()
    {
        Time = Time(doc),
        Dyno = Dyno(doc),
        Kind = (DynoEventKind)doc["k"].AsInt32,
        Code = doc.TryGetValue("c", out var code) && ErrorCatalog.TryGet(code.AsString, out var info) ? info : null,
        Description = doc["x"].AsString,
        Source = Text(doc, "s") ?? "heroku",
        ProcId = doc["p"].AsString,
        Message = doc["m"].AsString,
        Incarnation = Text(doc, "i"),
        FromState = Text(doc, "fs"),
        ToState = Text(doc, "ts"),
        Path = Text(doc, "pa"),
        ExitStatus = doc.TryGetValue("es", out var exit) ? exit.AsInt32 : null,
        MemoryMb = doc.TryGetValue("mm", out var mb) ? mb.AsDouble : null,
        MemoryPercent = doc.TryGetValue("mp", out var percent) ? percent.AsDouble : null,
        Status = doc.TryGetValue("st", out var status) ? status.AsInt32 : null,
        ServiceMs = doc.TryGetValue("sv", out var service) ? service.AsInt32 : null,
    };

    public static BsonDocument FromLine(string app, LogLine line)
    {
        var doc = new BsonDocument
        {
            ["a"] = app,
            ["t"] = line.Time.UtcTicks,
            ["k"] = (int)line.Kind,
            ["s"] = line.Source,
            ["p"] = line.ProcId,
            ["m"] = line.Message,
        };
        Optional(doc, "d", line.Dyno?.Value);
        return doc;
    }

    public static LogLine ToLine(BsonDocument doc) => new(
        Time(doc), doc["s"].AsString, doc["p"].AsString, Dyno(doc), (LineKind)doc["k"].AsInt32, doc["m"].AsString);

    private static DateTimeOffset Time(BsonDocument doc) => new(doc["t"].AsInt64, TimeSpan.Zero);

    private static DynoName? Dyno(BsonDocument doc) => Text(doc, "d") is { } name ? new DynoName(name) : null;

    private static string? Text(BsonDocument doc, string field) =>
        doc.TryGetValue(field, out var value) && value.IsString ? value.AsString : null;

    private static void Optional(BsonDocument doc, string field, string? value)
    {
        if (value is not null)
        {
            doc[field] = value;
        }
    }
}
