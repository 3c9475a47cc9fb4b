using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Web.Api;

/// <summary>
/// Search, export and group-by over an app's log lines:
/// <c>GET /api/apps/{app}/logs?q=&amp;from=&amp;to=&amp;limit=&amp;skip=&amp;format=json|csv</c>,
/// <c>/logs/groups?q=&amp;by=dyno&amp;value=service</c> and <c>/logs/keys?q=</c>. A bad query is a 400 problem+json
/// with its <c>position</c>; an unknown app is a 404. The filter language is in docs/query.md. A window reaching
/// before what is kept gets <c>X-History-Kept-From</c> (every line from then on is there) and <c>X-History-Not-Kept</c>
/// (why, latest first: <c>LiveBuffer 2026-…Z, AppCap 2026-…Z</c>), so an export never looks complete when it is not.
/// </summary>
public static class LogEndpoints
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 50_000;
    public const string MatchedHeader = "X-Matched-Count";
    public const string KeptFromHeader = "X-History-Kept-From";
    public const string NotKeptHeader = "X-History-Not-Kept";

    public static IEndpointRouteBuilder MapLogsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Resolved once here so that Program.cs needs a single line: the registered source (live buffer and history
        // with AddDynoHistory), else the live buffer.
        var services = endpoints.ServiceProvider;
        var source = services.GetService<ILogLineSource>() ?? new LiveLogLineSource(services.GetRequiredService<LiveStore>());

        var logs = endpoints.MapGroup("/api/apps/{app}/logs").WithTags("DynoDashboard");
        logs.MapGet("", (string app, string? q, string? from, string? to, int? limit, int? skip, string? format,
            TimeProvider time, HttpContext context) => Search(source, app, q, from, to, limit, skip, format, time, context))
            .WithSummary("Search an app's log lines with the filter language (docs/query.md); format=csv exports")
            .Produces<List<LogRowResponse>>(StatusCodes.Status200OK, "application/json", "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        logs.MapGet("/groups", (string app, string? q, string? from, string? to, string? by, string? value, TimeProvider time,
            HttpResponse response) => Groups(source, app, q, from, to, by, value, time, response))
            .WithSummary("Count matching lines grouped by a key (default dyno), optionally summing a numeric key")
            .Produces<LogGroupReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        logs.MapGet("/keys", (string app, string? q, string? from, string? to, int? max, TimeProvider time, HttpResponse response) =>
            Keys(source, app, q, from, to, max, time, response))
            .WithSummary("The keys found in matching lines, most frequent first")
            .Produces<List<LogKeyCount>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static IResult Search(ILogLineSource source, string app, string? q, string? from, string? to, int? limit, int? skip,
        string? format, TimeProvider time, HttpContext context)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return BadRequest("Invalid limit", $"limit must be between 1 and {MaxLimit}.");
        }

        if (skip is < 0)
        {
            return BadRequest("Invalid skip", "skip must be 0 or more.");
        }

        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && format is not null && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return BadRequest("Invalid format", "format must be json or csv.");
        }

        if (Prepare(source, app, q, from, to, time, context.Response, out var request) is { } problem)
        {
            return problem;
        }

        var result = LogSearch.Run(request.Lines, request.Query, request.From, request.To, limit ?? DefaultLimit, skip ?? 0);
        context.Response.Headers[MatchedHeader] = result.Matched.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return csv
            ? Results.Stream(stream => LogCsv.WriteAsync(stream, result.Lines, context.RequestAborted),
                "text/csv; charset=utf-8", $"{FileName(app)}-logs.csv")
            : Results.Ok(result.Lines.Select(LogRowResponse.From).ToList());
    }

    private static IResult Groups(ILogLineSource source, string app, string? q, string? from, string? to, string? by, string? value,
        TimeProvider time, HttpResponse response)
    {
        by = string.IsNullOrWhiteSpace(by) ? "dyno" : by;
        if (!IsKey(by) || (value is not null && !IsKey(value)))
        {
            return BadRequest("Invalid key", "by and value take a key such as dyno, code, status, path or service (letters, digits, _ - . # /, at most 64).");
        }

        return Prepare(source, app, q, from, to, time, response, out var request) is { } problem
            ? problem
            : Results.Ok(LogGroups.Compute(LogSearch.Matching(request.Lines, request.Query, request.From, request.To), by, value));
    }

    private static IResult Keys(ILogLineSource source, string app, string? q, string? from, string? to, int? max, TimeProvider time,
        HttpResponse response)
    {
        if (max is < 1 or > LogKeys.MaxTracked)
        {
            return BadRequest("Invalid max", $"max must be between 1 and {LogKeys.MaxTracked}.");
        }

        return Prepare(source, app, q, from, to, time, response, out var request) is { } problem
            ? problem
            : Results.Ok(LogKeys.Collect(LogSearch.Matching(request.Lines, request.Query, request.From, request.To), max ?? 50));
    }

    /// <summary>The checks every logs endpoint shares, in the order callers see them: query, time range, app; then the
    /// kept-from headers.</summary>
    private static IResult? Prepare(ILogLineSource source, string app, string? q, string? from, string? to, TimeProvider time,
        HttpResponse response, out LogRequest request)
    {
        request = default;
        var parsed = LogQuery.Parse(q);
        if (!parsed.IsValid)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid query",
                detail: $"At position {parsed.Error.Position}: {parsed.Error.Message}.",
                extensions: new Dictionary<string, object?> { ["position"] = parsed.Error.Position, ["error"] = parsed.Error.Message });
        }

        var now = time.GetUtcNow();
        if (!TimeRange.TryParse(from, now, out var fromTime) || !TimeRange.TryParse(to, now, out var toTime))
        {
            return BadRequest("Invalid time range",
                "from and to take ISO 8601 times (2026-11-26T10:00:00Z) or relative ones (-15m, -1h, -7d).");
        }

        if (source.ReadNewestFirst(app, fromTime, toTime) is not { } lines)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown app",
                detail: $"No data has arrived for app '{(app.Length <= 64 ? app : app[..64] + "…")}'.");
        }

        if (lines.KeptFrom is { } keptFrom)
        {
            response.Headers[KeptFromHeader] = Iso(keptFrom);
            response.Headers[NotKeptHeader] = string.Join(", ", lines.NotKept.Select(k => $"{k.DeletedBy} {Iso(k.From)}"));
        }

        request = new LogRequest(parsed.Query, lines.NewestFirst, fromTime, toTime);
        return null;
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static IResult BadRequest(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    private static bool IsKey(string key) =>
        key.Length <= 64 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '#' or '/');

    // Heroku app names are lower-case letters, digits and dashes; anything else never reaches a header.
    private static string FileName(string app) =>
        new([.. app.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_')]);

    private readonly record struct LogRequest(LogQuery Query, IEnumerable<LogLine> Lines, DateTimeOffset? From, DateTimeOffset? To);
}
