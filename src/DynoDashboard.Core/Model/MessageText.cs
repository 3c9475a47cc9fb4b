using System.Text;

namespace DynoDashboard.Core.Model;

/// <summary>
/// The text of an event or a line: given as a string, or kept as its line's UTF-8 bytes until first read as a string
/// (then both are kept). History stores the bytes as they are, and most errors and app lines of a busy drain are never
/// read as text; a string of ASCII text is twice the bytes. Only valid UTF-8 is kept as bytes, so they are exactly
/// what encoding the string would give.
/// </summary>
internal struct MessageText
{
    private string? _text;
    private byte[]? _utf8;

    /// <summary>The bytes, when the text was given as UTF-8; null when it was given as a string.</summary>
    public readonly byte[]? Utf8 => _utf8;

    /// <summary>The text, decoded (once) if it was given as UTF-8. A field of a class, so the decoded string is kept.</summary>
    public string Text => _text ??= Encoding.UTF8.GetString(_utf8!);

    public static MessageText Of(string text) => new() { _text = text };

    /// <summary>Keeps valid UTF-8 as it is; anything else is decoded at once (invalid bytes become U+FFFD, as they did).</summary>
    public static MessageText FromUtf8(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty || !System.Text.Unicode.Utf8.IsValid(utf8) ? Of(RouterRequest.Text(utf8)) : new() { _utf8 = utf8.ToArray() };

    /// <summary>Into a history block as <see cref="BlockWriter.Write(string)"/> lays out a string: UTF-8 given is copied
    /// as it is (the same bytes the string would encode to), so it is never decoded only to be encoded again.</summary>
    public readonly void WriteTo(BlockWriter writer)
    {
        if (_utf8 is { } utf8)
        {
            writer.WriteUtf8(utf8);
        }
        else
        {
            writer.Write(_text!);
        }
    }

    /// <summary>Compares the bytes when both hold UTF-8 (decoding neither), else the strings.</summary>
    public bool TextEquals(ref MessageText other) =>
        _utf8 is { } mine && other._utf8 is { } theirs
            ? mine.AsSpan().SequenceEqual(theirs)
            : string.Equals(Text, other.Text, StringComparison.Ordinal);
}
