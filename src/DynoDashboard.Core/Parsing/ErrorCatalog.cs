using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Parsing;

/// <summary>
/// Heroku's 40 error codes (devcenter error-codes, 2021 text plus the 2024 table of contents): 26 router
/// H codes, 8 dyno-manager R codes and 6 logplex/log-shuttle L codes. Each code is one shared instance, so
/// the parser can attach it to a router line without allocating.
/// </summary>
public static class ErrorCatalog
{
    public static readonly ErrorCodeInfo H10 = Router("H10", "App crashed", "A crashed web dyno or a boot timeout on the web dyno.");
    public static readonly ErrorCodeInfo H11 = Router("H11", "Backlog too deep", "Too many requests were waiting for a dyno; the router refused more.");
    public static readonly ErrorCodeInfo H12 = Router("H12", "Request timeout", "The app took longer than 30 seconds to start its response.");
    public static readonly ErrorCodeInfo H13 = Router("H13", "Connection closed without response", "The dyno accepted the connection and closed it without sending a response.");
    public static readonly ErrorCodeInfo H14 = Router("H14", "No web dynos running", "No web dynos are running (log text: \"No web processes running\").");
    public static readonly ErrorCodeInfo H15 = Router("H15", "Idle connection", "The dyno sent a response but the connection stayed idle for 55 seconds.");
    public static readonly ErrorCodeInfo H16 = Router("H16", "Redirect to herokuapp.com", "No longer in use: formerly a redirect from a heroku.com app name.");
    public static readonly ErrorCodeInfo H17 = Router("H17", "Poorly formatted HTTP response", "The dyno sent a response the router could not parse.");
    public static readonly ErrorCodeInfo H18 = Router("H18", "Server Request Interrupted", "The backend closed the socket before the request body was read (sock=backend).");
    public static readonly ErrorCodeInfo H19 = Router("H19", "Backend connection timeout", "The router could not connect to the dyno within 5 seconds.");
    public static readonly ErrorCodeInfo H20 = Router("H20", "App boot timeout", "The router waited 75 seconds for a dyno to boot and gave up.");
    public static readonly ErrorCodeInfo H21 = Router("H21", "Backend connection refused", "The dyno refused the router's connection.");
    public static readonly ErrorCodeInfo H22 = Router("H22", "Connection limit reached", "The app reached its limit of open connections.");
    public static readonly ErrorCodeInfo H23 = Router("H23", "Endpoint misconfigured", "A custom endpoint (for example a Private Space router) is misconfigured.");
    public static readonly ErrorCodeInfo H24 = Router("H24", "Forced close", "The router closed a long-running connection, for example during maintenance.");
    public static readonly ErrorCodeInfo H25 = Router("H25", "HTTP Restriction", "The request broke an HTTP rule: invalid content length, oversized cookie, header or status line.");
    public static readonly ErrorCodeInfo H26 = Router("H26", "Request Error", "The request was malformed; the line carries cause=.");
    public static readonly ErrorCodeInfo H27 = Router("H27", "Client Request Interrupted", "The client closed the socket before the response was sent (status 499, sock=client).");
    public static readonly ErrorCodeInfo H28 = Router("H28", "Client Connection Idle", "The client stayed idle too long while sending the request.");
    public static readonly ErrorCodeInfo H31 = Router("H31", "Misdirected Request", "The request reached a host that does not serve it (status 421).");
    public static readonly ErrorCodeInfo H32 = Router("H32", "TLS Certificate Mismatch", "The TLS certificate did not match the requested host.");
    public static readonly ErrorCodeInfo H80 = Router("H80", "Maintenance mode", "The app is in maintenance mode.");
    public static readonly ErrorCodeInfo H81 = Router("H81", "Blank app", "No code has been deployed to the app yet.");
    public static readonly ErrorCodeInfo H82 = Router("H82", "Free dyno quota exhausted", "The account used up its dyno hour pool.");
    public static readonly ErrorCodeInfo H83 = Router("H83", "Planned Service Degradation", "The app is in a planned service degradation.");
    public static readonly ErrorCodeInfo H99 = Router("H99", "Platform error", "An internal error in the Heroku platform.");

    public static readonly ErrorCodeInfo R10 = Runtime("R10", "Boot timeout", "The web process failed to bind to $PORT within 60 seconds of launch.");
    public static readonly ErrorCodeInfo R12 = Runtime("R12", "Exit timeout", "A process failed to exit within 30 seconds of SIGTERM.");
    public static readonly ErrorCodeInfo R13 = Runtime("R13", "Attach error", "A one-off dyno could not attach to the client.");
    public static readonly ErrorCodeInfo R14 = Runtime("R14", "Memory quota exceeded", "The dyno used more memory than its quota and is swapping.");
    public static readonly ErrorCodeInfo R15 = Runtime("R15", "Memory quota vastly exceeded", "The dyno used far more memory than its quota and was killed.");
    public static readonly ErrorCodeInfo R16 = Runtime("R16", "Detached", "A one-off dyno lost its client connection.");
    public static readonly ErrorCodeInfo R17 = Runtime("R17", "Checksum error", "The slug checksum did not match.");
    public static readonly ErrorCodeInfo R99 = Runtime("R99", "Platform error", "An internal error in the dyno manager.");

    public static readonly ErrorCodeInfo L10 = Logging("L10", "Drain buffer overflow", "Logplex dropped messages because the drain could not keep up.");
    public static readonly ErrorCodeInfo L11 = Logging("L11", "Tail buffer overflow", "A heroku logs --tail session dropped messages.");
    public static readonly ErrorCodeInfo L12 = Logging("L12", "Local buffer overflow", "log-shuttle dropped messages because its local buffer was full.");
    public static readonly ErrorCodeInfo L13 = Logging("L13", "Local delivery error", "log-shuttle could not deliver messages to logplex.");
    public static readonly ErrorCodeInfo L14 = Logging("L14", "Certificate validation error", "The TLS certificate of a syslog drain failed validation.");
    public static readonly ErrorCodeInfo L15 = Logging("L15", "Tail buffer temporarily unavailable", "The tail buffer could not be read for a moment.");

    /// <summary>Every code, H then R then L, in numeric order.</summary>
    public static IReadOnlyList<ErrorCodeInfo> All { get; } =
    [
        H10, H11, H12, H13, H14, H15, H16, H17, H18, H19, H20, H21, H22, H23, H24, H25, H26, H27, H28, H31, H32,
        H80, H81, H82, H83, H99,
        R10, R12, R13, R14, R15, R16, R17, R99,
        L10, L11, L12, L13, L14, L15,
    ];

    // Indexed by family * 100 + the two digits, so a lookup from "H12" bytes is arithmetic plus one array read.
    // Declared after All because static initialisers run in text order.
    private static readonly ErrorCodeInfo?[] s_byIndex = BuildIndex();

    /// <summary>Looks up <c>H12</c>, <c>R14</c>, <c>L10</c> from UTF-8 bytes. Case-sensitive, as Heroku writes them.</summary>
    public static bool TryGet(ReadOnlySpan<byte> code, out ErrorCodeInfo info)
    {
        var index = code.Length == 3 ? IndexOf(code[0], code[1], code[2]) : -1;
        info = index >= 0 ? s_byIndex[index]! : null!;
        return index >= 0 && info is not null;
    }

    /// <summary>Looks up a code from text (<c>"H12"</c>).</summary>
    public static bool TryGet(ReadOnlySpan<char> code, out ErrorCodeInfo info)
    {
        var index = code.Length == 3 && code[0] < 128 && code[1] < 128 && code[2] < 128
            ? IndexOf((byte)code[0], (byte)code[1], (byte)code[2])
            : -1;
        info = index >= 0 ? s_byIndex[index]! : null!;
        return index >= 0 && info is not null;
    }

    /// <summary>Looks up a code from a string; false for null.</summary>
    public static bool TryGet(string? code, out ErrorCodeInfo info)
    {
        if (code is null)
        {
            info = null!;
            return false;
        }

        return TryGet(code.AsSpan(), out info);
    }

    private static int IndexOf(byte family, byte tens, byte ones)
    {
        var familyIndex = family switch
        {
            (byte)'H' => 0,
            (byte)'R' => 1,
            (byte)'L' => 2,
            _ => -1,
        };
        if (familyIndex < 0 || !char.IsAsciiDigit((char)tens) || !char.IsAsciiDigit((char)ones))
        {
            return -1;
        }

        return (familyIndex * 100) + ((tens - '0') * 10) + (ones - '0');
    }

    private static ErrorCodeInfo?[] BuildIndex()
    {
        var index = new ErrorCodeInfo?[300];
        foreach (var info in All)
        {
            index[IndexOf((byte)info.Code[0], (byte)info.Code[1], (byte)info.Code[2])] = info;
        }

        return index;
    }

    private static ErrorCodeInfo Router(string code, string title, string meaning) => new(code, ErrorFamily.Router, title, meaning);

    private static ErrorCodeInfo Runtime(string code, string title, string meaning) => new(code, ErrorFamily.Runtime, title, meaning);

    private static ErrorCodeInfo Logging(string code, string title, string meaning) => new(code, ErrorFamily.Logging, title, meaning);
}
