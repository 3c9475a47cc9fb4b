using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Live;

/// <summary>
/// Which lines may be shed under overload. Runtime samples, dyno events, router errors (H codes) and raw lines
/// always go everywhere; only the plain, high-volume lines (router requests without a code, app output) may skip
/// the recent-lines buffer and history. Their router rollup is still counted: shedding only drops the line's text.
/// One rule, used by both the live store and the history tee, so both shed exactly the same lines.
/// </summary>
public static class LineShedding
{
    public static bool IsPlainRouterLine(in RouterRequest request) => request.Code is null;
}
