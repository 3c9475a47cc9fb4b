using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Parsing;

public sealed partial class HerokuLogParser
{
    /// <summary>
    /// log-runtime-metrics: <c>source=web.1 dyno=heroku.1.uuid sample#load_avg_1m=0.02 …</c> or the memory
    /// half, plus the 2013 form <c>source=heroku.&lt;id&gt;.web.1.&lt;uuid&gt; measure=load_avg_1m val=2.46</c>.
    /// Add-on metrics use hyphenated keys (<c>sample#load-avg-1m</c>) and come from <c>app[heroku-postgres]</c>,
    /// so they never reach here as a dyno's sample.
    /// </summary>
    private bool TryRuntimeSample<TSink>(DateTimeOffset time, ReadOnlySpan<byte> procId, ReadOnlySpan<byte> message, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        // Cheap vectorised pre-checks keep lifecycle lines off the logfmt path.
        var samplePrefix = message.IndexOf("sample#"u8);
        if (samplePrefix < 0)
        {
            return message.StartsWith("source=heroku."u8) && TryLegacyRuntimeSample(time, procId, message, ref sink);
        }

        if (message.IndexOf("sample#load_avg"u8) < 0 && message.IndexOf("sample#memory_"u8) < 0)
        {
            return false;
        }

        double load1 = double.NaN, load5 = double.NaN, load15 = double.NaN;
        double total = double.NaN, rss = double.NaN, cache = double.NaN, swap = double.NaN, quota = double.NaN;
        double pagesIn = double.NaN, pagesOut = double.NaN;
        ReadOnlySpan<byte> source = default;
        ReadOnlySpan<byte> incarnation = default;

        var reader = new LogfmtReader(message);
        while (reader.MoveNext())
        {
            if (!reader.HasValue)
            {
                continue;
            }

            var key = reader.Key;
            var value = reader.Value;
            if (!key.StartsWith("sample#"u8))
            {
                if (key.SequenceEqual("source"u8))
                {
                    source = value;
                }
                else if (key.SequenceEqual("dyno"u8))
                {
                    incarnation = value;
                }

                continue;
            }

            var name = key[7..];
            if (name.StartsWith("load_avg_"u8))
            {
                var window = name[9..];
                if (window.SequenceEqual("1m"u8))
                {
                    load1 = Number(value);
                }
                else if (window.SequenceEqual("5m"u8))
                {
                    load5 = Number(value);
                }
                else if (window.SequenceEqual("15m"u8))
                {
                    load15 = Number(value);
                }
            }
            else if (name.StartsWith("memory_"u8))
            {
                var part = name[7..];
                if (part.SequenceEqual("total"u8))
                {
                    total = Megabytes(value);
                }
                else if (part.SequenceEqual("rss"u8))
                {
                    rss = Megabytes(value);
                }
                else if (part.SequenceEqual("cache"u8))
                {
                    cache = Megabytes(value);
                }
                else if (part.SequenceEqual("swap"u8))
                {
                    swap = Megabytes(value);
                }
                else if (part.SequenceEqual("quota"u8))
                {
                    quota = Megabytes(value);
                }
                else if (part.SequenceEqual("pgpgin"u8) || part.SequenceEqual("pgin"u8))
                {
                    // memory_pgin/memory_pgout: an early variant of the page counters.
                    pagesIn = Pages(value);
                }
                else if (part.SequenceEqual("pgpgout"u8) || part.SequenceEqual("pgout"u8))
                {
                    pagesOut = Pages(value);
                }
            }
        }

        var dyno = IsDynoShaped(source) ? source : procId;
        sink.OnRuntimeSample(new RuntimeSampleLine
        {
            Dyno = new DynoName(_pool.Get(dyno)),
            Incarnation = incarnation.IsEmpty ? null : _pool.Get(incarnation),
            Sample = new RuntimeSample(time, load1, load5, load15, total, rss, cache, swap, quota, pagesIn, pagesOut),
            Message = message,
        });
        return true;
    }

    private bool TryLegacyRuntimeSample<TSink>(DateTimeOffset time, ReadOnlySpan<byte> procId, ReadOnlySpan<byte> message, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        ReadOnlySpan<byte> source = default;
        ReadOnlySpan<byte> measure = default;
        ReadOnlySpan<byte> value = default;
        ReadOnlySpan<byte> units = default;
        var reader = new LogfmtReader(message);
        while (reader.MoveNext())
        {
            if (reader.Key.SequenceEqual("source"u8))
            {
                source = reader.Value;
            }
            else if (reader.Key.SequenceEqual("measure"u8))
            {
                measure = reader.Value;
            }
            else if (reader.Key.SequenceEqual("val"u8))
            {
                value = reader.Value;
            }
            else if (reader.Key.SequenceEqual("units"u8))
            {
                units = reader.Value;
            }
        }

        if (measure.IsEmpty || value.IsEmpty || !RuntimeMetrics.TryParse(MetricName(measure), out var metric))
        {
            return false;
        }

        double number;
        var parsed = metric switch
        {
            RuntimeMetric.LoadAvg1m or RuntimeMetric.LoadAvg5m or RuntimeMetric.LoadAvg15m => LogfmtValue.TryParseNumber(value, out number),
            RuntimeMetric.MemoryPgpgIn or RuntimeMetric.MemoryPgpgOut => LogfmtValue.TryParsePages(value, out number),
            _ => LogfmtValue.TryParseMegabytes(value, out number) && ScaleByUnits(ref number, units),
        };
        if (!parsed)
        {
            return false;
        }

        var sample = RuntimeSample.Empty(time);
        sample = metric switch
        {
            RuntimeMetric.LoadAvg1m => sample with { Load1m = number },
            RuntimeMetric.LoadAvg5m => sample with { Load5m = number },
            RuntimeMetric.LoadAvg15m => sample with { Load15m = number },
            RuntimeMetric.MemoryTotal => sample with { MemoryTotalMb = number },
            RuntimeMetric.MemoryRss => sample with { MemoryRssMb = number },
            RuntimeMetric.MemoryCache => sample with { MemoryCacheMb = number },
            RuntimeMetric.MemorySwap => sample with { MemorySwapMb = number },
            RuntimeMetric.MemoryQuota => sample with { MemoryQuotaMb = number },
            RuntimeMetric.MemoryPgpgIn => sample with { MemoryPgpgIn = number },
            _ => sample with { MemoryPgpgOut = number },
        };

        var dyno = LegacySourceDyno(source);
        sink.OnRuntimeSample(new RuntimeSampleLine
        {
            Dyno = new DynoName(_pool.Get(IsDynoShaped(dyno) ? dyno : procId)),
            Incarnation = null,
            Sample = sample,
            Message = message,
        });
        return true;
    }

    // Legacy measure names are the modern ones, except the page counters, which were memory_pgin/pgout.
    private static string MetricName(ReadOnlySpan<byte> measure) =>
        measure.SequenceEqual("memory_pgin"u8) ? "memory_pgpgin"
        : measure.SequenceEqual("memory_pgout"u8) ? "memory_pgpgout"
        : FindMetricName(measure);

    private static string FindMetricName(ReadOnlySpan<byte> measure)
    {
        foreach (var name in RuntimeMetrics.Names)
        {
            if (Matches(measure, name))
            {
                return name;
            }
        }

        return string.Empty;
    }

    // A value that does not parse is missing (NaN), like a value that is not there.
    private static double Number(ReadOnlySpan<byte> value) => LogfmtValue.TryParseNumber(value, out var n) ? n : double.NaN;

    private static double Megabytes(ReadOnlySpan<byte> value) => LogfmtValue.TryParseMegabytes(value, out var n) ? n : double.NaN;

    private static double Pages(ReadOnlySpan<byte> value) => LogfmtValue.TryParsePages(value, out var n) ? n : double.NaN;

    private static bool Matches(ReadOnlySpan<byte> utf8, string ascii)
    {
        if (utf8.Length != ascii.Length)
        {
            return false;
        }

        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] != ascii[i])
            {
                return false;
            }
        }

        return true;
    }

    // A legacy line may carry units=MB separately from a bare val=.
    private static bool ScaleByUnits(ref double megabytes, ReadOnlySpan<byte> units)
    {
        if (!LogfmtValue.TryGetMegabyteScale(units, out var scale))
        {
            return false;
        }

        megabytes *= scale;
        return true;
    }

    /// <summary><c>heroku.&lt;app-id&gt;.web.1.&lt;uuid&gt;</c> → <c>web.1</c>: the uuid has no dots, the app id is numeric.</summary>
    internal static ReadOnlySpan<byte> LegacySourceDyno(ReadOnlySpan<byte> source)
    {
        if (!source.StartsWith("heroku."u8))
        {
            return default;
        }

        var afterPrefix = source[7..];
        var idEnd = afterPrefix.IndexOf((byte)'.');
        if (idEnd < 0)
        {
            return default;
        }

        var dynoAndUuid = afterPrefix[(idEnd + 1)..];
        var uuidDot = dynoAndUuid.LastIndexOf((byte)'.');
        return uuidDot > 0 ? dynoAndUuid[..uuidDot] : default;
    }
}
