using System.Text;

namespace DynoDashboard.Core.Parsing;

/// <summary>
/// Walks the <c>key=value</c> pairs of a logfmt message (router lines, runtime metrics, app output) as UTF-8
/// spans over the message, so reading a line allocates nothing.
/// <list type="bullet">
/// <item><c>key=value</c>: the value runs to the next space.</item>
/// <item><c>key="a b \" c"</c>: the value is the text between the quotes, escapes left in place
/// (<see cref="IsQuoted"/> is true; <see cref="Unescape"/> turns it into a string).</item>
/// <item><c>key=</c>: an empty value, <see cref="HasValue"/> true.</item>
/// <item>A bare word without <c>=</c> (<c>Restarting</c>, <c>GET</c>) is returned as a key with
/// <see cref="HasValue"/> false, so callers that only want pairs skip it and nothing is lost silently.</item>
/// <item>An unbalanced quote makes the value run to the end of the message. Nothing throws.</item>
/// </list>
/// </summary>
public ref struct LogfmtReader
{
    private readonly ReadOnlySpan<byte> _text;
    private int _position;

    public LogfmtReader(ReadOnlySpan<byte> text)
    {
        _text = text;
        _position = 0;
        Key = default;
        Value = default;
        HasValue = false;
        IsQuoted = false;
    }

    public ReadOnlySpan<byte> Key { get; private set; }

    /// <summary>The value; inside the quotes for a quoted value, with <c>\"</c> escapes not undone.</summary>
    public ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>False for a bare word without <c>=</c>.</summary>
    public bool HasValue { get; private set; }

    public bool IsQuoted { get; private set; }

    /// <summary>The rest of the message after the current pair (for legacy lines that mix words and pairs).</summary>
    public readonly ReadOnlySpan<byte> Remaining => _text[_position..];

    public bool MoveNext()
    {
        var text = _text;
        var i = _position;
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length)
        {
            _position = i;
            return false;
        }

        var keyStart = i;
        while (i < text.Length && text[i] != (byte)'=' && !IsSpace(text[i]))
        {
            i++;
        }

        Key = text[keyStart..i];
        IsQuoted = false;
        if (i >= text.Length || text[i] != (byte)'=')
        {
            Value = default;
            HasValue = false;
            _position = i;
            return true;
        }

        HasValue = true;
        i++; // '='
        if (i < text.Length && text[i] == (byte)'"')
        {
            IsQuoted = true;
            var valueStart = ++i;
            var close = FindClosingQuote(text, valueStart);
            if (close < 0)
            {
                Value = text[valueStart..];
                _position = text.Length;
                return true;
            }

            Value = text[valueStart..close];
            i = close + 1;

            // Junk glued to the closing quote (`a="x"y`) belongs to no pair; skip to the next space.
            while (i < text.Length && !IsSpace(text[i]))
            {
                i++;
            }

            _position = i;
            return true;
        }

        // Values are short (a few to a few dozen bytes), where a plain loop beats a vectorised search's setup.
        var start = i;
        while (i < text.Length && !IsSpace(text[i]))
        {
            i++;
        }

        Value = text[start..i];
        _position = i;
        return true;
    }

    /// <summary>Finds the value of <paramref name="key"/> in <paramref name="text"/> (first match).</summary>
    public static bool TryFind(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        var reader = new LogfmtReader(text);
        while (reader.MoveNext())
        {
            if (reader.HasValue && reader.Key.SequenceEqual(key))
            {
                value = reader.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>True when the text starts with a <c>key=</c> pair whose key is made of logfmt key characters.</summary>
    public static bool LooksLikeLogfmt(ReadOnlySpan<byte> text)
    {
        var i = 0;
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        var keyStart = i;
        while (i < text.Length && IsKeyByte(text[i]))
        {
            i++;
        }

        return i > keyStart && i < text.Length && text[i] == (byte)'=';
    }

    /// <summary>Turns a value into a string, undoing <c>\"</c> and <c>\\</c> in quoted values.</summary>
    public static string Unescape(ReadOnlySpan<byte> value)
    {
        if (value.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(value);
        }

        var builder = new StringBuilder(value.Length);
        var text = Encoding.UTF8.GetString(value);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && (text[i + 1] == '"' || text[i + 1] == '\\'))
            {
                i++;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    private static int FindClosingQuote(ReadOnlySpan<byte> text, int from)
    {
        var i = from;
        while (i < text.Length)
        {
            var next = text[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                return -1;
            }

            i += next;
            if (text[i] == (byte)'"')
            {
                return i;
            }

            i += 2; // skip the escaped byte
        }

        return -1;
    }

    private static bool IsSpace(byte b) => b == (byte)' ' || b == (byte)'\t';

    private static bool IsKeyByte(byte b) =>
        (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z') || (b >= (byte)'0' && b <= (byte)'9')
        || b == (byte)'_' || b == (byte)'-' || b == (byte)'.' || b == (byte)'#' || b == (byte)'/';
}
