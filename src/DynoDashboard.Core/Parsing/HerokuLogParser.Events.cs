using System.Buffers.Text;
using System.Text;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Parsing;

public sealed partial class HerokuLogParser
{
    /// <summary>Lines from the dyno manager about one dyno (<c>heroku[web.1]:</c>): R errors and lifecycle.</summary>
    private bool TryDynoManagerEvent<TSink>(DateTimeOffset time, ReadOnlySpan<byte> appName, ReadOnlySpan<byte> procId,
        ReadOnlySpan<byte> message, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        if (message.StartsWith("Error R"u8))
        {
            // "Error R14 (Memory quota exceeded)", "Error R10 (Boot timeout) -> Web process failed to bind…".
            if (!TryReadCode(message, out var codeText))
            {
                return false;
            }

            var known = ErrorCatalog.TryGet(codeText, out var code);
            var description = known ? code.Title : ParenthesisedName(message) ?? "Runtime error";
            sink.OnDynoEvent(NewEvent(time, appName, procId, message, DynoEventKind.RuntimeError, description, known ? code : null));
            return true;
        }

        if (message.StartsWith("Process running mem="u8))
        {
            return TryMemoryUsage(time, appName, procId, message, ref sink);
        }

        if (message.StartsWith("State changed from "u8))
        {
            var states = message["State changed from "u8.Length..];
            var to = states.IndexOf(" to "u8);
            if (to <= 0)
            {
                return false;
            }

            // States are a small fixed set (up, starting, crashed…), so pooling them costs nothing.
            var from = _pool.Get(states[..to]);
            var toState = _pool.Get(states[(to + 4)..].TrimEnd((byte)' '));
            var description = string.Concat("State changed from ", from, " to ", toState);
            sink.OnDynoEvent(NewEvent(time, appName, procId, message, DynoEventKind.StateChanged, description) with
            {
                FromState = from,
                ToState = toState,
            });
            return true;
        }

        if (message.StartsWith("Starting process with command"u8))
        {
            EmitEvent(time, appName, procId, message, DynoEventKind.Starting, "Starting process", ref sink);
            return true;
        }

        if (message.SequenceEqual("Restarting"u8))
        {
            EmitEvent(time, appName, procId, message, DynoEventKind.Restarting, "Restarting", ref sink);
            return true;
        }

        if (message.SequenceEqual("Cycling"u8))
        {
            EmitEvent(time, appName, procId, message, DynoEventKind.Cycling, "Cycling (daily restart)", ref sink);
            return true;
        }

        if (message.StartsWith("Stopping all processes with SIGTERM"u8))
        {
            EmitEvent(time, appName, procId, message, DynoEventKind.Stopping, "Stopping (SIGTERM)", ref sink);
            return true;
        }

        if (message.StartsWith("Stopping process with SIGKILL"u8) || message.StartsWith("Stopping remaining processes with SIGKILL"u8))
        {
            EmitEvent(time, appName, procId, message, DynoEventKind.Killed, "Killed (SIGKILL)", ref sink);
            return true;
        }

        if (message.StartsWith("Process exited"u8))
        {
            var tail = message["Process exited"u8.Length..];
            int? exitStatus = null;
            if (tail.StartsWith(" with status "u8) && Utf8Parser.TryParse(tail[" with status "u8.Length..], out int parsed, out _))
            {
                exitStatus = parsed;
            }
            else if (!tail.IsEmpty)
            {
                return false;
            }

            var description = exitStatus is { } s ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Process exited with status {s}") : "Process exited";
            sink.OnDynoEvent(NewEvent(time, appName, procId, message, DynoEventKind.Exited, description) with { ExitStatus = exitStatus });
            return true;
        }

        if (message.StartsWith("Client connection closed. Sending SIGHUP"u8))
        {
            EmitEvent(time, appName, procId, message, DynoEventKind.Hangup, "Client connection closed (SIGHUP)", ref sink);
            return true;
        }

        return false;
    }

    /// <summary><c>Process running mem=870M(170.1%)</c> or <c>mem=1028MB(103.3%)</c>.</summary>
    private bool TryMemoryUsage<TSink>(DateTimeOffset time, ReadOnlySpan<byte> appName, ReadOnlySpan<byte> procId,
        ReadOnlySpan<byte> message, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        var value = message["Process running mem="u8.Length..];
        var open = value.IndexOf((byte)'(');
        var size = open < 0 ? value.TrimEnd((byte)' ') : value[..open];
        if (!LogfmtValue.TryParseMegabytes(size, out var megabytes))
        {
            return false;
        }

        double? percent = null;
        if (open >= 0)
        {
            var inside = value[(open + 1)..];
            var end = inside.IndexOf((byte)'%');
            if (end > 0 && LogfmtValue.TryParseNumber(inside[..end], out var p))
            {
                percent = p;
            }
        }

        var description = percent is { } pct
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Memory {megabytes:0.#} MB ({pct:0.#}% of quota)")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Memory {megabytes:0.#} MB");
        sink.OnDynoEvent(NewEvent(time, appName, procId, message, DynoEventKind.MemoryUsage, description) with
        {
            MemoryMb = megabytes,
            MemoryPercent = percent,
        });
        return true;
    }

    /// <summary>
    /// L codes: <c>heroku[logplex]: Error L10 (output buffer overflow): N messages dropped since …</c>,
    /// <c>Error L11 (Tail buffer overflow) -> …</c>, <c>Error L14 (certificate validation): error=…</c>,
    /// <c>app[log-shuttle]: Error L12: N messages dropped since …</c>.
    /// </summary>
    private bool TryLoggingError<TSink>(DateTimeOffset time, ReadOnlySpan<byte> appName, ReadOnlySpan<byte> procId,
        ReadOnlySpan<byte> message, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        if (!message.StartsWith("Error L"u8) || !TryReadCode(message, out var codeText))
        {
            return false;
        }

        var known = ErrorCatalog.TryGet(codeText, out var code);
        var description = known ? code.Title : ParenthesisedName(message) ?? "Logging error";
        sink.OnDynoEvent(NewEvent(time, appName, procId, message, DynoEventKind.LogplexError, description, known ? code : null));
        return true;
    }

    /// <summary>
    /// <c>app[api]</c> audit lines: <c>Release v12 created by user …</c>, <c>Rollback to v11 by user …</c>,
    /// <c>Deploy 1a2b3c4 by user …</c>, <c>Build started by user …</c>, <c>Build succeeded</c>,
    /// <c>Build failed -- check your build output: …</c>, <c>Set FOO, BAR config vars by user …</c>,
    /// <c>Scaled to web@4:Standard-1X by user …</c>. The description is the line up to <c> by </c> or <c> -- </c>.
    /// </summary>
    private bool TryApiEvent<TSink>(DateTimeOffset time, ReadOnlySpan<byte> appName, ReadOnlySpan<byte> procId,
        ReadOnlySpan<byte> message, ref TSink sink)
        where TSink : IHerokuLineSink, allows ref struct
    {
        DynoEventKind kind;
        if (message.StartsWith("Release v"u8) || message.StartsWith("Rollback to v"u8))
        {
            kind = DynoEventKind.Release;
        }
        else if (message.StartsWith("Deploy "u8))
        {
            kind = DynoEventKind.Deploy;
        }
        else if (message.StartsWith("Build "u8))
        {
            kind = DynoEventKind.Build;
        }
        else if ((message.StartsWith("Set "u8) || message.StartsWith("Unset "u8)) && message.IndexOf(" config var"u8) > 0)
        {
            kind = DynoEventKind.ConfigChange;
        }
        else if (message.StartsWith("Scaled to "u8) || message.StartsWith("Scale to "u8))
        {
            kind = DynoEventKind.Scale;
        }
        else
        {
            return false;
        }

        var summary = message;
        var by = summary.IndexOf(" by "u8);
        if (by > 0)
        {
            summary = summary[..by];
        }

        var dashes = summary.IndexOf(" -- "u8);
        if (dashes > 0)
        {
            summary = summary[..dashes];
        }

        sink.OnDynoEvent(NewEvent(time, appName, procId, message, kind, Encoding.UTF8.GetString(summary)));
        return true;
    }

    /// <summary>The three bytes after <c>Error </c>, when they look like a code and end there (space, colon, parenthesis or end).</summary>
    private static bool TryReadCode(ReadOnlySpan<byte> message, out ReadOnlySpan<byte> code)
    {
        code = default;
        if (message.Length < 9 || !IsDigit(message[7]) || !IsDigit(message[8]))
        {
            return false;
        }

        if (message.Length > 9 && message[9] is not ((byte)' ' or (byte)':' or (byte)'('))
        {
            return false;
        }

        code = message[6..9];
        return true;
    }

    /// <summary>The name in <c>Error R11 (Bad bind)</c>, for codes the catalogue does not know.</summary>
    private static string? ParenthesisedName(ReadOnlySpan<byte> message)
    {
        var open = message.IndexOf((byte)'(');
        var close = message.IndexOf((byte)')');
        return open > 0 && close > open + 1 ? Encoding.UTF8.GetString(message[(open + 1)..close]) : null;
    }
}
