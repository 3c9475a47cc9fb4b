using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Parsing;

public sealed partial class HerokuLogParser
{
    /// <summary>
    /// <c>[sock=…] at=info|warning|error [code=Hnn desc="…" [cause="…"]] method=… path="…" host=… request_id=…
    /// fwd="…" dyno=web.1 connect=1ms service=22ms status=200 bytes=656 protocol=https [tls=… tls_version=…]</c>.
    /// Empty values (<c>dyno= connect= status=</c> on H10/H14) stay missing, never 0. A line with neither
    /// <c>at=</c> nor <c>method=</c> is not a modern router line.
    /// </summary>
    private bool TryRouter<TSink>(DateTimeOffset time, ReadOnlySpan<byte> message, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        var level = RouterLevel.Info;
        var sawShape = false;
        ErrorCodeInfo? code = null;
        DynoName? dyno = null;
        int? connect = null, service = null, status = null;
        long? bytes = null;
        ReadOnlySpan<byte> method = default, path = default, host = default, requestId = default, fwd = default;
        ReadOnlySpan<byte> protocol = default, desc = default, cause = default, sock = default;

        var reader = new LogfmtReader(message);
        while (reader.MoveNext())
        {
            if (!reader.HasValue)
            {
                continue;
            }

            var key = reader.Key;
            var value = reader.Value;

            // Dispatch on length first: most keys are then settled by one comparison.
            switch (key.Length)
            {
                case 2 when key.SequenceEqual("at"u8):
                    sawShape = true;
                    level = value.SequenceEqual("error"u8) ? RouterLevel.Error
                        : value.SequenceEqual("warning"u8) ? RouterLevel.Warning
                        : RouterLevel.Info;
                    break;
                case 3 when key.SequenceEqual("fwd"u8):
                    fwd = value;
                    break;
                case 4:
                    if (key.SequenceEqual("path"u8))
                    {
                        path = value;
                    }
                    else if (key.SequenceEqual("host"u8))
                    {
                        host = value;
                    }
                    else if (key.SequenceEqual("dyno"u8))
                    {
                        dyno = value.IsEmpty ? null : new DynoName(_pool.Get(value));
                    }
                    else if (key.SequenceEqual("code"u8))
                    {
                        code = ErrorCatalog.TryGet(value, out var info) ? info : null;
                    }
                    else if (key.SequenceEqual("desc"u8))
                    {
                        desc = value;
                    }
                    else if (key.SequenceEqual("sock"u8))
                    {
                        sock = value;
                    }

                    break;
                case 5:
                    if (key.SequenceEqual("bytes"u8))
                    {
                        bytes = LogfmtValue.TryParseInt64(value, out var b) ? b : null;
                    }
                    else if (key.SequenceEqual("cause"u8))
                    {
                        cause = value;
                    }

                    break;
                case 6:
                    if (key.SequenceEqual("method"u8))
                    {
                        sawShape = true;
                        method = value;
                    }
                    else if (key.SequenceEqual("status"u8))
                    {
                        status = LogfmtValue.TryParseInt32(value, out var s) ? s : null;
                    }

                    break;
                case 7:
                    if (key.SequenceEqual("connect"u8))
                    {
                        connect = LogfmtValue.TryParseMilliseconds(value, out var c) ? c : null;
                    }
                    else if (key.SequenceEqual("service"u8))
                    {
                        service = LogfmtValue.TryParseMilliseconds(value, out var s) ? s : null;
                    }

                    break;
                case 8 when key.SequenceEqual("protocol"u8):
                    protocol = value;
                    break;
                case 10 when key.SequenceEqual("request_id"u8):
                    requestId = value;
                    break;
            }
        }

        if (!sawShape)
        {
            return false;
        }

        sink.OnRouterRequest(new RouterRequest
        {
            Time = time,
            Level = level,
            Code = code,
            Dyno = dyno,
            ConnectMs = connect,
            ServiceMs = service,
            Status = status,
            Bytes = bytes,
            Method = method,
            Path = path,
            Host = host,
            RequestId = requestId,
            Fwd = fwd,
            Protocol = protocol,
            Desc = desc,
            Cause = cause,
            Sock = sock,
            Message = message,
        });
        return true;
    }

    /// <summary>
    /// Router lines from before 2012: <c>GET host/path dyno=web.1 queue=0 wait=0ms service=7ms bytes=215</c>
    /// and <c>Error H12 (Request timeout) -> GET host/path dyno=web.1 … status=503 bytes=0</c>. They become a
    /// router request with what is there: host and path split at the first slash, desc from the
    /// parentheses, <c>queue</c>/<c>wait</c> ignored (removed by Heroku in 2013). Anything else is left to
    /// the app-line fallback.
    /// </summary>
    private bool TryLegacyRouter<TSink>(DateTimeOffset time, ReadOnlySpan<byte> message, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        var level = RouterLevel.Info;
        ErrorCodeInfo? code = null;
        ReadOnlySpan<byte> desc = default;
        var rest = message;
        if (rest.StartsWith("Error H"u8) && rest.Length >= 9)
        {
            level = RouterLevel.Error;
            code = ErrorCatalog.TryGet(rest[6..9], out var info) ? info : null;
            rest = rest[9..];
            if (rest.StartsWith(" ("u8))
            {
                var close = rest.IndexOf((byte)')');
                if (close > 2)
                {
                    desc = rest[2..close];
                    rest = rest[(close + 1)..];
                }
            }

            var arrow = rest.IndexOf("-> "u8);
            rest = arrow < 0 ? default : rest[(arrow + 3)..];
        }

        var methodEnd = rest.IndexOf((byte)' ');
        var method = methodEnd < 0 ? rest : rest[..methodEnd];
        if (!IsHttpMethod(method))
        {
            if (code is null)
            {
                return false;
            }

            method = default;
            rest = default;
        }
        else
        {
            rest = methodEnd < 0 ? default : rest[(methodEnd + 1)..];
        }

        ReadOnlySpan<byte> host = default, path = default;
        if (!rest.IsEmpty)
        {
            var targetEnd = rest.IndexOf((byte)' ');
            var target = targetEnd < 0 ? rest : rest[..targetEnd];
            if (target.IndexOf((byte)'=') < 0)
            {
                var slash = target.IndexOf((byte)'/');
                host = slash < 0 ? target : target[..slash];
                path = slash < 0 ? default : target[slash..];
                rest = targetEnd < 0 ? default : rest[(targetEnd + 1)..];
            }
        }

        DynoName? dyno = null;
        int? connect = null, service = null, status = null;
        long? bytes = null;
        var reader = new LogfmtReader(rest);
        while (reader.MoveNext())
        {
            var key = reader.Key;
            var value = reader.Value;
            if (key.SequenceEqual("dyno"u8))
            {
                dyno = value.IsEmpty ? null : new DynoName(_pool.Get(value));
            }
            else if (key.SequenceEqual("connect"u8))
            {
                connect = LogfmtValue.TryParseMilliseconds(value, out var c) ? c : null;
            }
            else if (key.SequenceEqual("service"u8))
            {
                service = LogfmtValue.TryParseMilliseconds(value, out var s) ? s : null;
            }
            else if (key.SequenceEqual("status"u8))
            {
                status = LogfmtValue.TryParseInt32(value, out var s) ? s : null;
            }
            else if (key.SequenceEqual("bytes"u8))
            {
                bytes = LogfmtValue.TryParseInt64(value, out var b) ? b : null;
            }
        }

        sink.OnRouterRequest(new RouterRequest
        {
            Time = time,
            Level = level,
            Code = code,
            Dyno = dyno,
            ConnectMs = connect,
            ServiceMs = service,
            Status = status,
            Bytes = bytes,
            Method = method,
            Path = path,
            Host = host,
            Desc = desc,
            Message = message,
        });
        return true;
    }

    private static bool IsHttpMethod(ReadOnlySpan<byte> word)
    {
        if (word.Length is < 3 or > 10)
        {
            return false;
        }

        foreach (var b in word)
        {
            if (b is < (byte)'A' or > (byte)'Z')
            {
                return false;
            }
        }

        return true;
    }
}
