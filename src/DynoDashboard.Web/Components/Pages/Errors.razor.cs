using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Web.Components.Controls;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>
/// Every H, R and L error of the window as a dyno × code matrix: "which dyno had the H12s" at a glance, each cell
/// opening the matching lines in the table view. Reads the live store's event buffer.
/// </summary>
public sealed partial class Errors : LiveAppPage
{
    /// <summary>The row of errors no dyno is named for (L10, router errors before a dyno was picked).</summary>
    public const string AppWide = "(app)";

    /// <summary>Points per dyno line: one bucket per minute of the hour window.</summary>
    private const int Buckets = 60;

    private IReadOnlyList<ErrorCodeInfo> _codes = [];
    private IReadOnlyList<ErrorRow> _rows = [];
    private IReadOnlyList<ChartLine> _lines = [];
    private IReadOnlyList<(string Family, string Letter, int Count)> _families = [];
    private IReadOnlyList<EventMarker> _markers = [];

    protected override void Refresh()
    {
        var (from, to) = Range;
        var events = (Store.GetEvents(App, null, null, int.MaxValue) ?? []).Where(e => e.Time >= from && e.Time <= to).ToList();
        var errors = events.Where(e => e.Code is not null).ToList();
        // Deploys and releases on the chart: "did the errors start with v42?" is the first question after "which dyno".
        _markers = EventMarkers.Thin(events.Where(EventMarkers.IsRollout), from, to, MarkerSlots);

        _codes = [.. errors.Select(e => e.Code!).Distinct().OrderBy(c => c.Family).ThenBy(c => c.Code, StringComparer.Ordinal)];
        _families =
        [
            ("router", "H", errors.Count(e => e.Code!.Family == ErrorFamily.Router)),
            ("runtime", "R", errors.Count(e => e.Code!.Family == ErrorFamily.Runtime)),
            ("logging", "L", errors.Count(e => e.Code!.Family == ErrorFamily.Logging)),
        ];
        _rows =
        [
            .. errors
                .GroupBy(e => e.Dyno?.Value ?? AppWide)
                .Select(g => new ErrorRow(g.Key, g.Count(),
                    g.GroupBy(e => e.Code!.Code).ToDictionary(c => c.Key, c => c.Count(), StringComparer.Ordinal)))
                .OrderByDescending(r => r.Total)
                .ThenBy(r => r.Dyno, StringComparer.Ordinal),
        ];

        var width = TimeSpan.FromTicks(Math.Max(1, (to - from).Ticks / Buckets));
        _lines =
        [
            .. _rows.Select(row =>
            {
                var counts = new int[Buckets];
                foreach (var e in errors.Where(e => (e.Dyno?.Value ?? AppWide) == row.Dyno))
                {
                    counts[Math.Min(Buckets - 1, (int)((e.Time - from).Ticks / width.Ticks))]++;
                }

                return new ChartLine(row.Dyno, [.. counts.Select((c, i) => new SeriesPoint(from + (width * i), c))]);
            }),
        ];
    }

    /// <summary>The table view filtered to one dyno's (or the app's) lines with that code.</summary>
    private string LogsHref(string? dyno, string code)
    {
        var query = dyno is null or AppWide ? $"code:{code}" : $"dyno:{dyno} code:{code}";
        return $"apps/{Uri.EscapeDataString(App)}/logs?q={Uri.EscapeDataString(query)}";
    }

    private string? DynoHref(string dyno) => dyno == AppWide ? null : $"apps/{Uri.EscapeDataString(App)}/dynos/{Uri.EscapeDataString(dyno)}";

    private sealed record ErrorRow(string Dyno, int Total, IReadOnlyDictionary<string, int> Counts);
}
