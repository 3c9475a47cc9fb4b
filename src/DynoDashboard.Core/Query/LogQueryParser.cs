using System.Text;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Query;

/// <summary>
/// Recursive descent over the filter language:
/// <code>
/// query   := or
/// or      := and ("OR" and)*
/// and     := unary (["AND"] unary)*
/// unary   := "NOT" unary | "-" unary | primary
/// primary := "(" or ")" | "quoted phrase" | field:value[|value…] | key op value | word
/// </code>
/// The first error stops the parse; errors are values, and nesting is capped so no input can overflow the stack.
/// </summary>
internal sealed class LogQueryParser
{
    private const int MaxDepth = 64;

    private readonly string _text;
    private int _position;
    private int _depth;
    private LogQueryError? _error;

    private LogQueryParser(string text) => _text = text;

    public static LogQueryParseResult Parse(string text)
    {
        if (text.Length > LogQuery.MaxLength)
        {
            return Fail(LogQuery.MaxLength, $"the query is longer than {LogQuery.MaxLength} characters");
        }

        var parser = new LogQueryParser(text);
        parser.SkipSpace();
        if (parser.AtEnd)
        {
            return new LogQueryParseResult(LogQuery.All, null);
        }

        var root = parser.ParseOr();
        if (parser._error is null && !parser.AtEnd)
        {
            // ParseOr stops only at the end or at a ')' it did not open.
            parser.SetError(parser._position, "')' without a matching '('");
        }

        return parser._error is { } error
            ? new LogQueryParseResult(null, error)
            : new LogQueryParseResult(new LogQuery(text, root!), null);
    }

    private bool AtEnd => _position >= _text.Length;

    private static LogQueryParseResult Fail(int position, string message) => new(null, new LogQueryError(position, message));

    private QueryNode? ParseOr()
    {
        var first = ParseAnd();
        if (first is null)
        {
            return null;
        }

        List<QueryNode>? terms = null;
        while (_error is null && TryKeyword("OR"))
        {
            var next = ParseAnd();
            if (next is null)
            {
                return null;
            }

            (terms ??= [first]).Add(next);
        }

        return terms is null ? first : new OrNode([.. terms]);
    }

    private QueryNode? ParseAnd()
    {
        var terms = new List<QueryNode>();
        while (_error is null)
        {
            SkipSpace();
            if (AtEnd || _text[_position] == ')' || IsKeywordAt("OR"))
            {
                break;
            }

            if (TryKeyword("AND") && !TermFollows())
            {
                SetError(_position, "a search term expected after AND");
                return null;
            }

            var term = ParseUnary();
            if (term is null)
            {
                return null;
            }

            terms.Add(term);
        }

        if (_error is not null)
        {
            return null;
        }

        if (terms.Count == 0)
        {
            SetError(_position, AtEnd ? "a search term expected at the end" : $"a search term expected before '{_text[_position]}'");
            return null;
        }

        return terms.Count == 1 ? terms[0] : new AndNode([.. terms]);
    }

    private QueryNode? ParseUnary()
    {
        SkipSpace();
        var start = _position;
        var negated = false;
        if (TryKeyword("NOT"))
        {
            negated = true;
        }
        else if (!AtEnd && _text[_position] == '-' && _position + 1 < _text.Length
            && !char.IsWhiteSpace(_text[_position + 1]) && _text[_position + 1] != ')')
        {
            _position++;
            negated = true;
        }

        if (!negated)
        {
            return ParsePrimary();
        }

        if (!Enter(start))
        {
            return null;
        }

        if (!TermFollows())
        {
            SetError(_position, "a search term expected after NOT");
            return null;
        }

        var inner = ParseUnary();
        _depth--;
        return inner is null ? null : new NotNode(inner);
    }

    private QueryNode? ParsePrimary()
    {
        SkipSpace();
        var start = _position;
        if (_text[start] == '(')
        {
            if (!Enter(start))
            {
                return null;
            }

            _position++;
            var inner = ParseOr();
            _depth--;
            if (inner is null)
            {
                return null;
            }

            if (AtEnd || _text[_position] != ')')
            {
                SetError(start, "'(' is never closed");
                return null;
            }

            _position++;
            return inner;
        }

        if (_text[start] == '"')
        {
            var close = FindClosingQuote(start);
            if (close < 0)
            {
                return null;
            }

            _position = close + 1;
            var phrase = Unquote(_text.AsSpan(start + 1, close - start - 1));
            return phrase.Length == 0 ? AllNode.Instance : new TextNode(phrase);
        }

        // A word runs to a space or a parenthesis; a quoted value inside it (path="/a b") may hold both.
        var i = start;
        while (i < _text.Length && !IsBreak(_text[i]))
        {
            if (_text[i] == '"')
            {
                var close = FindClosingQuote(i);
                if (close < 0)
                {
                    return null;
                }

                i = close;
            }

            i++;
        }

        _position = i;
        return Term(start, _text[start..i]);
    }

    private QueryNode? Term(int start, string word)
    {
        var colon = word.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && LineField(word[..colon]) is { } field)
        {
            return LineFieldTerm(field, start + colon + 1, word[(colon + 1)..]);
        }

        var op = word.AsSpan().IndexOfAny("=!<>");
        if (op > 0 && IsLogfmtKey(word.AsSpan(0, op)) && ReadOperator(word, op) is { } comparison)
        {
            var opLength = comparison.Length;
            return FieldTerm(word[..op], comparison.Op, start + op + opLength, word[(op + opLength)..]);
        }

        return new TextNode(word.Contains('"', StringComparison.Ordinal) ? word.Replace("\"", string.Empty, StringComparison.Ordinal) : word);
    }

    private static (Comparison Op, int Length)? ReadOperator(string word, int op)
    {
        var next = op + 1 < word.Length ? word[op + 1] : '\0';
        return word[op] switch
        {
            '=' => (Query.Comparison.Equal, 1),
            '!' when next == '=' => (Query.Comparison.NotEqual, 2),
            '>' when next == '=' => (Query.Comparison.GreaterOrEqual, 2),
            '<' when next == '=' => (Query.Comparison.LessOrEqual, 2),
            '>' => (Query.Comparison.Greater, 1),
            '<' => (Query.Comparison.Less, 1),
            _ => null, // "hello!" is free text
        };
    }

    private FieldNode? FieldTerm(string key, Comparison op, int valueStart, string raw)
    {
        if (raw.Length == 0)
        {
            SetError(valueStart, $"a value expected after '{key}{OperatorText(op)}' (write {key}=\"\" for an empty value)");
            return null;
        }

        string value;
        if (raw[0] == '"')
        {
            if (raw.Length < 2 || raw[^1] != '"' || FindClosingQuote(valueStart) != valueStart + raw.Length - 1)
            {
                SetError(valueStart, "text after the closing quote");
                return null;
            }

            value = Unquote(raw.AsSpan(1, raw.Length - 2));
        }
        else if (raw.Contains('"', StringComparison.Ordinal))
        {
            SetError(valueStart + raw.IndexOf('"', StringComparison.Ordinal), "a quote inside a value; quote the whole value");
            return null;
        }
        else
        {
            value = raw;
        }

        HerokuQuantity? quantity = HerokuQuantity.TryRead(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), out var q)
            ? q
            : null;
        if (quantity is null && op is not (Query.Comparison.Equal or Query.Comparison.NotEqual))
        {
            SetError(valueStart, $"a number expected after '{key}{OperatorText(op)}', with an optional unit (ms, s, B, kB, MB, GB, pages)");
            return null;
        }

        return new FieldNode(key, value, op, quantity);
    }

    private QueryNode? LineFieldTerm(string field, int valueStart, string raw)
    {
        var values = raw.Split('|');
        var offset = valueStart;
        foreach (var value in values)
        {
            if (value.Length == 0)
            {
                SetError(offset, $"a value expected after '{field}:'");
                return null;
            }

            if (value.Contains('"', StringComparison.Ordinal))
            {
                SetError(offset, $"{field}: takes plain names (web.2, H12, router), not quotes");
                return null;
            }

            if (field == "kind" && !LogLineFields.TryParseKind(value, out _))
            {
                SetError(offset, $"unknown kind '{value}': router, runtime, event, app or raw");
                return null;
            }

            if (field == "code" && !IsCodeOrFamily(value))
            {
                SetError(offset, $"'{value}' is not an error code: H12, R14, L10, or a family H, R, L");
                return null;
            }

            offset += value.Length + 1;
        }

        return field switch
        {
            "dyno" => new DynoNode(values),
            "code" => new CodeNode(values),
            "kind" => new KindNode(values.Aggregate(0, (mask, v) => LogLineFields.TryParseKind(v, out var k) ? mask | (1 << (int)k) : mask)),
            "source" => new HeaderNode(values, procId: false),
            _ => new HeaderNode(values, procId: true),
        };
    }

    private static string? LineField(string name) => name.ToLowerInvariant() switch
    {
        "dyno" => "dyno",
        "code" => "code",
        "kind" => "kind",
        "source" => "source",
        "proc" => "proc",
        _ => null,
    };

    private static bool IsCodeOrFamily(string value) =>
        char.ToUpperInvariant(value[0]) is 'H' or 'R' or 'L'
        && (value.Length == 1 || (value.Length == 3 && char.IsAsciiDigit(value[1]) && char.IsAsciiDigit(value[2])));

    private static bool IsLogfmtKey(ReadOnlySpan<char> key)
    {
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '#' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    private static string OperatorText(Comparison op) => op switch
    {
        Query.Comparison.Equal => "=",
        Query.Comparison.NotEqual => "!=",
        Query.Comparison.Greater => ">",
        Query.Comparison.Less => "<",
        Query.Comparison.GreaterOrEqual => ">=",
        _ => "<=",
    };

    /// <summary>The index of the quote closing the one at <paramref name="open"/>, <c>\"</c> and <c>\\</c> escaped; -1 and an error if none.</summary>
    private int FindClosingQuote(int open)
    {
        for (var i = open + 1; i < _text.Length; i++)
        {
            if (_text[i] == '\\')
            {
                i++;
            }
            else if (_text[i] == '"')
            {
                return i;
            }
        }

        SetError(open, "'\"' is never closed");
        return -1;
    }

    private static string Unquote(ReadOnlySpan<char> inner)
    {
        if (!inner.Contains('\\'))
        {
            return inner.ToString();
        }

        var builder = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length && inner[i + 1] is '"' or '\\')
            {
                i++;
            }

            builder.Append(inner[i]);
        }

        return builder.ToString();
    }

    private bool TermFollows()
    {
        SkipSpace();
        return !AtEnd && _text[_position] != ')' && !IsKeywordAt("OR") && !IsKeywordAt("AND");
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        if (!IsKeywordAt(keyword))
        {
            return false;
        }

        _position += keyword.Length;
        return true;
    }

    // Keywords are upper case and whole words, so "or" and "ORDER" are plain text.
    private bool IsKeywordAt(string keyword) =>
        string.CompareOrdinal(_text, _position, keyword, 0, keyword.Length) == 0
        && (_position + keyword.Length == _text.Length || IsBreak(_text[_position + keyword.Length]));

    private bool Enter(int position)
    {
        if (++_depth <= MaxDepth)
        {
            return true;
        }

        SetError(position, $"nested more than {MaxDepth} levels deep");
        return false;
    }

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private static bool IsBreak(char c) => char.IsWhiteSpace(c) || c is '(' or ')';

    private void SetError(int position, string message) => _error ??= new LogQueryError(position, message);
}
