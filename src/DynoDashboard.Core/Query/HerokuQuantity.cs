using DynoDashboard.Core.Parsing;

namespace DynoDashboard.Core.Query;

/// <summary>What a number in a Heroku line measures; numbers of different dimensions are never compared.</summary>
public enum QuantityDimension
{
    /// <summary>A bare number (<c>status=503</c>, <c>sample#load_avg_1m=0.02</c>).</summary>
    Plain,

    /// <summary>Milliseconds: <c>service=30000ms</c>, <c>5s</c>.</summary>
    Time,

    /// <summary>Megabytes: <c>sample#memory_swap=12.50MB</c>, <c>870M</c>, <c>512kB</c>, <c>1GB</c>, <c>bytes=</c>.</summary>
    Size,

    /// <summary><c>sample#memory_pgpgin=83225pages</c>.</summary>
    Pages,
}

/// <summary>
/// A logfmt number turned into its dimension's base unit (ms for time, MB for sizes), so that
/// <c>service&gt;5s</c> and <c>service=30000ms</c> compare. Allocation-free: it runs once per line and key.
/// </summary>
public readonly record struct HerokuQuantity(double Value, QuantityDimension Dimension)
{
    /// <summary>
    /// Reads a logfmt value such as <c>30000ms</c> or <c>12.50MB</c>. A bare number takes the unit Heroku implies
    /// for the key (<c>bytes</c> in B, <c>connect</c>/<c>service</c>/<c>wait</c> in ms; <c>connect=0</c> on H25);
    /// other bare numbers are <see cref="QuantityDimension.Plain"/>. False for text and unknown units.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, out HerokuQuantity quantity)
    {
        if (!LogfmtValue.TryParseQuantity(value, out var number, out var unit) || double.IsNaN(number))
        {
            quantity = default;
            return false;
        }

        if (unit.IsEmpty)
        {
            unit = ImpliedUnit(key);
        }

        if (!TryScale(unit, out var dimension, out var scale))
        {
            quantity = default;
            return false;
        }

        quantity = new HerokuQuantity(number * scale, dimension);
        return true;
    }

    /// <summary>The dimension and the factor to its base unit; false for a unit that is not one of Heroku's.</summary>
    public static bool TryScale(ReadOnlySpan<byte> unit, out QuantityDimension dimension, out double scale)
    {
        // Time first: "ms" must not be read as a size, and Heroku's bare "M" (mem=870M) is megabytes, not minutes.
        if (unit.IsEmpty)
        {
            (dimension, scale) = (QuantityDimension.Plain, 1d);
        }
        else if (unit.SequenceEqual("ms"u8))
        {
            (dimension, scale) = (QuantityDimension.Time, 1d);
        }
        else if (unit.SequenceEqual("s"u8))
        {
            (dimension, scale) = (QuantityDimension.Time, 1000d);
        }
        else if (unit.SequenceEqual("us"u8) || unit.SequenceEqual("µs"u8))
        {
            (dimension, scale) = (QuantityDimension.Time, 0.001d);
        }
        else if (unit.SequenceEqual("pages"u8))
        {
            (dimension, scale) = (QuantityDimension.Pages, 1d);
        }
        else if (LogfmtValue.TryGetMegabyteScale(unit, out scale))
        {
            dimension = QuantityDimension.Size;
        }
        else
        {
            (dimension, scale) = (QuantityDimension.Plain, double.NaN);
            return false;
        }

        return true;
    }

    /// <summary>The unit name of a dimension's base unit, for reports.</summary>
    public static string BaseUnit(QuantityDimension dimension) => dimension switch
    {
        QuantityDimension.Time => "ms",
        QuantityDimension.Size => "MB",
        QuantityDimension.Pages => "pages",
        _ => string.Empty,
    };

    private static ReadOnlySpan<byte> ImpliedUnit(ReadOnlySpan<byte> key) =>
        key.SequenceEqual("bytes"u8) ? "B"u8
        : key.SequenceEqual("service"u8) || key.SequenceEqual("connect"u8) || key.SequenceEqual("wait"u8) ? "ms"u8
        : default;
}
