namespace DynoDashboard.Core.Model;

/// <summary>
/// A dyno's stable name within an app: <c>web.1</c>, <c>worker.3</c>, <c>run.1234</c>, <c>scheduler.9200</c>.
/// It is the syslog PROCID and the <c>source=</c> of runtime metrics. It survives restarts; the
/// incarnation (<c>dyno=heroku.&lt;app-id&gt;.&lt;uuid&gt;</c>) does not.
/// </summary>
public readonly record struct DynoName(string Value) : IComparable<DynoName>
{
    /// <summary>The pseudo-dyno under which router requests with no <c>dyno=</c> (H10, H14, H99…) are rolled up and
    /// app-wide events are asked for. The live store does not list it among an app's dynos; its rollups are asked for
    /// by this name.</summary>
    public static readonly DynoName NoDyno = new("(none)");

    /// <summary>The process type: the part before the last dot (<c>web</c> for <c>web.1</c>).</summary>
    public string ProcessType
    {
        get
        {
            var dot = Value.LastIndexOf('.');
            return dot > 0 ? Value[..dot] : Value;
        }
    }

    /// <summary>True for names shaped like a dyno (<c>type.N</c>), false for <c>router</c>, <c>api</c>, add-ons.</summary>
    public static bool IsDynoShaped(ReadOnlySpan<char> name)
    {
        var dot = name.LastIndexOf('.');
        if (dot <= 0 || dot == name.Length - 1)
        {
            return false;
        }

        foreach (var c in name[(dot + 1)..])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        foreach (var c in name[..dot])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Orders <c>web.2</c> before <c>web.10</c>: by process type, then by number.</summary>
    public int CompareTo(DynoName other)
    {
        var type = string.CompareOrdinal(ProcessType, other.ProcessType);
        if (type != 0)
        {
            return type;
        }

        var a = Number;
        var b = other.Number;
        return a != b ? a.CompareTo(b) : string.CompareOrdinal(Value, other.Value);
    }

    private long Number
    {
        get
        {
            var dot = Value.LastIndexOf('.');
            return dot > 0 && long.TryParse(Value.AsSpan(dot + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;
        }
    }

    public override string ToString() => Value;

    public static bool operator <(DynoName left, DynoName right) => left.CompareTo(right) < 0;

    public static bool operator <=(DynoName left, DynoName right) => left.CompareTo(right) <= 0;

    public static bool operator >(DynoName left, DynoName right) => left.CompareTo(right) > 0;

    public static bool operator >=(DynoName left, DynoName right) => left.CompareTo(right) >= 0;
}
