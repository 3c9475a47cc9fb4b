using System.Buffers.Text;

namespace DynoDashboard.Core.Parsing;

/// <summary>
/// Numbers with units as Heroku writes them in logfmt values: <c>308.66MB</c>, <c>21MB</c>, <c>870M</c>,
/// <c>512kB</c>, <c>83225pages</c>, <c>22ms</c>, <c>0</c>. Parses from UTF-8 without allocating.
/// </summary>
public static class LogfmtValue
{
    /// <summary>Splits <c>308.66MB</c> into 308.66 and <c>MB</c>. False when the value does not start with a number.</summary>
    public static bool TryParseQuantity(ReadOnlySpan<byte> value, out double number, out ReadOnlySpan<byte> unit)
    {
        // Utf8Parser reads the longest numeric prefix; the unit is whatever follows. A unit starting with
        // 'e'/'E' would be read as an exponent, so the number is cut at the first letter first.
        var end = 0;
        while (end < value.Length && IsNumberByte(value[end]))
        {
            end++;
        }

        if (end == 0 || !Utf8Parser.TryParse(value[..end], out number, out var consumed) || consumed != end)
        {
            number = double.NaN;
            unit = default;
            return false;
        }

        unit = value[end..];
        return true;
    }

    /// <summary>A memory size in MB: <c>MB</c>/<c>M</c>/no unit as is, <c>kB</c>/<c>K</c> ÷ 1024, <c>GB</c>/<c>G</c> × 1024, <c>B</c> ÷ 1024².</summary>
    public static bool TryParseMegabytes(ReadOnlySpan<byte> value, out double megabytes)
    {
        if (!TryParseQuantity(value, out var number, out var unit))
        {
            megabytes = double.NaN;
            return false;
        }

        if (!TryGetMegabyteScale(unit, out var scale))
        {
            megabytes = double.NaN;
            return false;
        }

        megabytes = number * scale;
        return true;
    }

    /// <summary>The factor that turns a value in <paramref name="unit"/> into MB; false for a unit that is not a size.</summary>
    public static bool TryGetMegabyteScale(ReadOnlySpan<byte> unit, out double scale)
    {
        scale = unit.Length switch
        {
            0 => 1d,
            1 => unit[0] switch
            {
                (byte)'M' or (byte)'m' => 1d,
                (byte)'K' or (byte)'k' => 1d / 1024,
                (byte)'G' or (byte)'g' => 1024d,
                (byte)'B' => 1d / (1024 * 1024),
                _ => double.NaN,
            },
            2 when unit[1] is (byte)'B' or (byte)'b' => unit[0] switch
            {
                (byte)'M' or (byte)'m' => 1d,
                (byte)'K' or (byte)'k' => 1d / 1024,
                (byte)'G' or (byte)'g' => 1024d,
                _ => double.NaN,
            },
            _ => unit.SequenceEqual("MiB"u8) ? 1d : unit.SequenceEqual("KiB"u8) ? 1d / 1024 : double.NaN,
        };
        return !double.IsNaN(scale);
    }

    /// <summary>A page count: <c>83225pages</c> or a bare number.</summary>
    public static bool TryParsePages(ReadOnlySpan<byte> value, out double pages)
    {
        if (TryParseQuantity(value, out pages, out var unit) && (unit.IsEmpty || unit.SequenceEqual("pages"u8)))
        {
            return true;
        }

        pages = double.NaN;
        return false;
    }

    /// <summary>A plain number with no unit (load averages).</summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> value, out double number)
    {
        if (TryParseQuantity(value, out number, out var unit) && unit.IsEmpty)
        {
            return true;
        }

        number = double.NaN;
        return false;
    }

    /// <summary>Milliseconds: <c>22ms</c>, or <c>0</c> with no unit (H25/H26 write <c>connect=0</c>). Empty is false.</summary>
    public static bool TryParseMilliseconds(ReadOnlySpan<byte> value, out int milliseconds)
    {
        if (Utf8Parser.TryParse(value, out milliseconds, out var consumed) && milliseconds >= 0)
        {
            var unit = value[consumed..];
            if (unit.IsEmpty || unit.SequenceEqual("ms"u8))
            {
                return true;
            }
        }

        milliseconds = 0;
        return false;
    }

    /// <summary>A whole number that must fill the value (<c>status=503</c>).</summary>
    public static bool TryParseInt32(ReadOnlySpan<byte> value, out int number)
    {
        if (Utf8Parser.TryParse(value, out number, out var consumed) && consumed == value.Length)
        {
            return true;
        }

        number = 0;
        return false;
    }

    /// <summary>A whole number that must fill the value (<c>bytes=28054625</c>).</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> value, out long number)
    {
        if (Utf8Parser.TryParse(value, out number, out var consumed) && consumed == value.Length)
        {
            return true;
        }

        number = 0;
        return false;
    }

    private static bool IsNumberByte(byte b) =>
        (b >= (byte)'0' && b <= (byte)'9') || b == (byte)'.' || b == (byte)'-' || b == (byte)'+';
}
