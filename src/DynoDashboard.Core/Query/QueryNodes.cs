using System.Buffers;
using System.Text;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Query;

/// <summary>
/// One line as a compiled query sees it. The message is encoded to UTF-8 at most once, and only when a
/// logfmt term asks (the reader works on bytes); dyno, kind, source and free-text terms never need it.
/// </summary>
internal ref struct LineView
{
    private ref byte[]? _scratch;
    private ReadOnlySpan<byte> _utf8;
    private bool _encoded;

    public LineView(LogLine line, ref byte[]? scratch)
    {
        Line = line;
        _scratch = ref scratch;
    }

    public LogLine Line { get; }

    public ReadOnlySpan<byte> Utf8
    {
        get
        {
            if (!_encoded)
            {
                _utf8 = LogLineFields.Encode(Line.Message, ref _scratch);
                _encoded = true;
            }

            return _utf8;
        }
    }
}

/// <summary>A compiled query term. Nodes are immutable and shared across threads.</summary>
internal abstract class QueryNode
{
    /// <summary>Rough per-line cost, so AND tests cheap terms first: 0 line fields, 1 free text, 2 logfmt.</summary>
    public abstract int Cost { get; }

    public abstract bool Matches(ref LineView line);
}

internal sealed class AllNode : QueryNode
{
    public static readonly AllNode Instance = new();

    public override int Cost => 0;

    public override bool Matches(ref LineView line) => true;
}

internal sealed class AndNode(QueryNode[] terms) : QueryNode
{
    // Terms sorted by cost: a cheap dyno:/kind: term rejects most lines before any message is encoded.
    private readonly QueryNode[] _terms = [.. terms.OrderBy(t => t.Cost)];

    public override int Cost => _terms[^1].Cost;

    public override bool Matches(ref LineView line)
    {
        foreach (var term in _terms)
        {
            if (!term.Matches(ref line))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class OrNode(QueryNode[] terms) : QueryNode
{
    private readonly QueryNode[] _terms = [.. terms.OrderBy(t => t.Cost)];

    public override int Cost => _terms[^1].Cost;

    public override bool Matches(ref LineView line)
    {
        foreach (var term in _terms)
        {
            if (term.Matches(ref line))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class NotNode(QueryNode term) : QueryNode
{
    public override int Cost => term.Cost;

    public override bool Matches(ref LineView line) => !term.Matches(ref line);
}

/// <summary>Free text and quoted phrases: a case-insensitive substring of the message.</summary>
internal sealed class TextNode(string text) : QueryNode
{
    // SearchValues precomputes a vectorised case-insensitive search for this one needle; over a million lines it
    // measured ~7x faster than string.Contains(text, OrdinalIgnoreCase), which re-derives its plan per call.
    private readonly SearchValues<string> _needle = SearchValues.Create([text], StringComparison.OrdinalIgnoreCase);

    public override int Cost => 1;

    public override bool Matches(ref LineView line) => line.Line.Message.AsSpan().ContainsAny(_needle);
}

/// <summary><c>dyno:web.2</c> (exact) or <c>dyno:web</c> (every dyno of the process type), any of several.</summary>
internal sealed class DynoNode(string[] names) : QueryNode
{
    public override int Cost => 0;

    public override bool Matches(ref LineView line)
    {
        if (line.Line.Dyno is not { } dyno)
        {
            return false;
        }

        var value = dyno.Value;
        foreach (var name in names)
        {
            // "web" names a process type: web.1, web.2… but not webhook.1. Compared in place, no ProcessType substring.
            if (value.Equals(name, StringComparison.OrdinalIgnoreCase)
                || (value.Length > name.Length && value[name.Length] == '.' && value.LastIndexOf('.') == name.Length
                    && value.StartsWith(name, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary><c>kind:router|event</c> as a bit mask over <see cref="LineKind"/>.</summary>
internal sealed class KindNode(int mask) : QueryNode
{
    public override int Cost => 0;

    public override bool Matches(ref LineView line) => (mask & (1 << (int)line.Line.Kind)) != 0;
}

/// <summary><c>source:app|heroku</c> and <c>proc:router</c>: the syslog APP-NAME or PROCID.</summary>
internal sealed class HeaderNode(string[] values, bool procId) : QueryNode
{
    public override int Cost => 0;

    public override bool Matches(ref LineView line)
    {
        var actual = procId ? line.Line.ProcId : line.Line.Source;
        foreach (var value in values)
        {
            if (actual.Equals(value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary><c>code:H12|R14</c>, or <c>code:H</c> for a whole family.</summary>
internal sealed class CodeNode(string[] codes) : QueryNode
{
    public override int Cost => 1;

    public override bool Matches(ref LineView line)
    {
        var code = LogLineFields.FindCode(line.Line.Message);
        if (code.IsEmpty)
        {
            return false;
        }

        foreach (var wanted in codes)
        {
            if (wanted.Length == 1 ? char.ToUpperInvariant(wanted[0]) == code[0] : code.Equals(wanted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

internal enum Comparison
{
    Equal,
    NotEqual,
    Greater,
    Less,
    GreaterOrEqual,
    LessOrEqual,
}

/// <summary>
/// <c>key=value</c>, <c>key!=value</c>, <c>key&gt;N</c>…: a logfmt pair of the message. A line without the key never
/// matches (not even <c>!=</c>; use <c>NOT key=value</c> for that). Equality is text (ASCII case-insensitive) or,
/// when both sides are numbers of one dimension, numeric (<c>service=30s</c> matches <c>service=30000ms</c>).
/// </summary>
internal sealed class FieldNode : QueryNode
{
    private readonly byte[] _key;
    private readonly byte[] _value;
    private readonly Comparison _comparison;
    private readonly HerokuQuantity? _quantity;

    public FieldNode(string key, string value, Comparison comparison, HerokuQuantity? quantity)
    {
        _key = Encoding.UTF8.GetBytes(key);
        _value = Encoding.UTF8.GetBytes(value);
        _comparison = comparison;
        _quantity = quantity;
    }

    public override int Cost => 2;

    public override bool Matches(ref LineView line)
    {
        if (!LogfmtReader.TryFind(line.Utf8, _key, out var value))
        {
            return false;
        }

        return _comparison switch
        {
            Comparison.Equal => IsEqual(value),
            Comparison.NotEqual => !IsEqual(value),
            _ => Compare(value),
        };
    }

    private bool IsEqual(ReadOnlySpan<byte> value)
    {
        if (value.SequenceEqual(_value) || Ascii.EqualsIgnoreCase(value, _value))
        {
            return true;
        }

        return _quantity is { } wanted && HerokuQuantity.TryRead(_key, value, out var actual)
            && SameDimension(wanted, actual) && actual.Value == wanted.Value;
    }

    private bool Compare(ReadOnlySpan<byte> value)
    {
        if (_quantity is not { } wanted || !HerokuQuantity.TryRead(_key, value, out var actual) || !SameDimension(wanted, actual))
        {
            return false;
        }

        return _comparison switch
        {
            Comparison.Greater => actual.Value > wanted.Value,
            Comparison.Less => actual.Value < wanted.Value,
            Comparison.GreaterOrEqual => actual.Value >= wanted.Value,
            _ => actual.Value <= wanted.Value,
        };
    }

    // A bare query number is read in the field's base unit (ms, MB), so sample#memory_swap>10 means 10 MB;
    // a query with a unit needs a field of the same dimension (service>5MB matches nothing).
    private static bool SameDimension(HerokuQuantity wanted, HerokuQuantity actual) =>
        wanted.Dimension == actual.Dimension || wanted.Dimension == QuantityDimension.Plain;
}
