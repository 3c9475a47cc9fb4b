using System.Diagnostics.CodeAnalysis;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Query;

/// <summary>A query that could not be read: where (0-based character index into the query text) and why.</summary>
public sealed record LogQueryError(int Position, string Message)
{
    public override string ToString() => $"position {Position}: {Message}";
}

/// <summary>Either a compiled <see cref="LogQuery"/> or the first <see cref="LogQueryError"/>; never both.</summary>
public sealed record LogQueryParseResult(LogQuery? Query, LogQueryError? Error)
{
    [MemberNotNullWhen(true, nameof(Query))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Query is not null;
}

/// <summary>
/// A compiled filter over log lines (the language is described in docs/query.md). Parse once, then call
/// <see cref="Matches"/> per line: it allocates nothing and is safe to share between threads.
/// </summary>
public sealed class LogQuery
{
    /// <summary>Queries longer than this are refused: a search box, not a program.</summary>
    public const int MaxLength = 4_096;

    // The UTF-8 copy of a message for logfmt terms, made only when such a term is reached; one buffer per
    // thread, grown to the longest message seen, so a scan over a million lines allocates nothing.
    [ThreadStatic]
    private static byte[]? s_scratch;

    private readonly QueryNode _root;

    internal LogQuery(string text, QueryNode root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The empty query: every line.</summary>
    public static LogQuery All { get; } = new(string.Empty, AllNode.Instance);

    public string Text { get; }

    /// <summary>Reads and compiles <paramref name="text"/>. Empty or blank text is <see cref="All"/>. Never throws.</summary>
    public static LogQueryParseResult Parse(string? text) => LogQueryParser.Parse(text ?? string.Empty);

    public bool Matches(LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var view = new LineView(line, ref s_scratch);
        return _root.Matches(ref view);
    }

    public override string ToString() => Text;
}
