using System.Buffers.Text;

namespace DynoDashboard.Core.Parsing;

/// <summary>
/// Numbers with units as Heroku writes them in logfmt values: <c>308.66MB</c>, <c>21MB</c>, <c>870M</c>,
/// <c>512kB</c>, <c>83225pages</c>, <c>22ms</c>, <c>0</c>. Parses from UTF-8 without allocating.
/// </summary>
public static class LogfmtValue
{
    /// <summary>
    /// Splits <c>308.66MB</c> into 308.66 and <c>MB</c>. False when the value does not start with a number.
    /// Exponents are not read (<c>1e3</c> is 1 with unit <c>e3</c>): Heroku never writes them, and a unit may start with e.
    /// </summary>
    public static bool TryParseQuantity(ReadOnlySpan<byte> value, out double number, out ReadOnlySpan<byte> unit)
    {
        // The number ends at the first letter, so a unit starting with 'e'/'E' is never read as an exponent.
        var end = 0;
        while (end < value.Length && IsNumberByte(value[end]))
        {
            end++;
        }

        if (end == 0 || (!TryParsePlainDecimal(value[..end], out number)
            && (!Utf8Parser.TryParse(value[..end], out number, out var consumed) || consumed != end)))
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

    /// <summary>
    /// Fast path for the shapes Heroku writes (<c>308.66</c>, <c>0.02</c>, <c>83225</c>): no sign, no exponent,
    /// at most 15 digits. Such a mantissa and the power of ten are exact doubles, and IEEE division rounds
    /// correctly, so the result is the same double a full parse gives, at a fraction of the cost. This
    /// matters because a memory line carries seven numbers.
    /// </summary>
    private static bool TryParsePlainDecimal(ReadOnlySpan<byte> text, out double number)
    {
        number = 0;
        long mantissa = 0;
        var digits = 0;
        var fractionDigits = 0;
        var seenDot = false;
        foreach (var b in text)
        {
            if (b == (byte)'.')
            {
                if (seenDot)
                {
                    return false;
                }

                seenDot = true;
                continue;
            }

            var digit = b - '0';
            if ((uint)digit > 9 || ++digits > 15)
            {
                return false;
            }

            mantissa = (mantissa * 10) + digit;
            if (seenDot)
            {
                fractionDigits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        number = fractionDigits == 0 ? mantissa : mantissa / s_powersOfTen[fractionDigits];
        return true;
    }

    private static readonly double[] s_powersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    private static bool IsNumberByte(byte b) =>
        (b >= (byte)'0' && b <= (byte)'9') || b == (byte)'.' || b == (byte)'-' || b == (byte)'+';
}
