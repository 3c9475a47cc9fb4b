using System.Globalization;
using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;
using DynoDashboard.Web.Api;
using Microsoft.AspNetCore.Components;

namespace DynoDashboard.Web.Components.Pages;

/// <summary>
/// The table view: an app's log lines newest first with a column per chosen logfmt key, the filter language of
/// docs/query.md, paging, a live tail, group-by and export. A search reads the registered <see cref="ILogLineSource"/>
/// (the live buffer, and history for the part of the window the buffer no longer holds); the live tail reads only the
/// live buffer, since it re-runs at every update.
/// </summary>
public sealed partial class Logs : LiveAppPage
{
    public const int PageSize = 50;

    /// <summary>The live tail keeps this many matches; more rows only slow every render down.</summary>
    public const int TailLimit = 500;

    /// <summary>The keys offered as columns and group-by values: the most frequent ones in the window.</summary>
    private const int OfferedKeys = 40;

    /// <summary>Line fields every line has; group-by offers them before the logfmt keys.</summary>
    private static readonly string[] s_lineFields = ["dyno", "code", "kind", "source", "proc"];

    private readonly List<string> _columns = [];
    private string? _queryText;
    private string _errorText = string.Empty;
    private LogQueryError? _error;
    private LogQuery _query = LogQuery.All;
    private LogSearchResult _result = new([], 0, 0);
    private IReadOnlyList<LinesKept> _notKept = [];
    private IReadOnlyList<LogKeyCount> _keys = [];
    private IReadOnlyList<Row> _rows = [];
    private LogGroupReport? _groups;
    private string _groupBy = string.Empty;
    private string? _groupValue;
    private int _page;
    private bool _tail;
    private bool _paused;
    private bool _stale = true;
    private bool _started;
    private (DateTimeOffset? From, DateTimeOffset? To) _searchRange;

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ILogLineSource Lines { get; init; }

    /// <summary>The filter from the address (<c>?q=dyno:web.2 code:H12</c>), as the errors matrix links to it.</summary>
    [SupplyParameterFromQuery(Name = "q")]
    public string? Q { get; set; }

    private int PageCount => Math.Max(1, (_result.Lines.Count + PageSize - 1) / PageSize);

    private IEnumerable<Row> PageRows => _rows;

    private IEnumerable<string> GroupKeys => s_lineFields.Concat(_keys.Select(k => k.Key).Where(k => !s_lineFields.Contains(k)));

    private string Summary
    {
        get
        {
            var shown = _result.Lines.Count;
            var matched = _result.Matched;
            var text = string.Create(CultureInfo.InvariantCulture, $"{matched} of {_result.Scanned} lines match");
            return shown < matched ? string.Create(CultureInfo.InvariantCulture, $"{text}; the newest {shown} are listed") : text;
        }
    }

    protected override void OnParametersSet()
    {
        if (!_started)
        {
            // Taken once: the box is the user's from then on, and a parameter is never written back.
            _started = true;
            _queryText = Q;
            Parse();
        }

        base.OnParametersSet();
    }

    protected override void Refresh()
    {
        // Without the tail the result is a snapshot, so paging through it does not shift under the reader.
        if (!_stale && (!_tail || _paused))
        {
            return;
        }

        _stale = false;
        _searchRange = _tail ? (null, null) : (Range.From, Range.To);
        var source = _tail ? new LiveLogLineSource(Store) : Lines;
        var lines = source.ReadNewestFirst(App, _searchRange.From, _searchRange.To);
        // The tail says it keeps the newest lines; a search says when its window reaches past what is kept.
        _notKept = _tail ? [] : lines?.NotKept ?? [];
        var limit = _tail ? TailLimit : LogEndpoints.MaxLimit;
        _result = LogSearch.Run(lines?.NewestFirst ?? [], _query, _searchRange.From, _searchRange.To, limit);
        _keys = LogKeys.Collect(_result.Lines, OfferedKeys);
        if (_tail)
        {
            _page = 0;
        }

        _page = Math.Min(_page, PageCount - 1);
        _groups = _groupBy.Length == 0 ? null : LogGroups.Compute(_result.Lines, _groupBy, _groupValue);
        BuildRows();
    }

    private void BuildRows() =>
        _rows = [.. _result.Lines.Skip(_page * PageSize).Take(PageSize).Select(line => new Row(line, [.. _columns.Select(c => LogLineFields.Value(line, c) ?? "")]))];

    private void Parse()
    {
        var parsed = LogQuery.Parse(_queryText);
        _errorText = _queryText ?? string.Empty;
        _error = parsed.Error;
        if (parsed.IsValid)
        {
            _query = parsed.Query;
        }
    }

    private void Search()
    {
        Parse();
        if (_error is null)
        {
            _page = 0;
            Rerun();
            // The address carries the filter, so a reload or a shared link shows the same lines.
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("q", _query.Text.Length == 0 ? null : _query.Text), replace: true);
        }
    }

    private void Rerun()
    {
        _stale = true;
        Refresh();
    }

    private void ChooseWindow(ChartWindow window)
    {
        _stale = true;
        SelectWindow(window);
    }

    private void ToggleTail(bool on)
    {
        _tail = on;
        _paused = false;
        Rerun();
    }

    private void TogglePause()
    {
        _paused = !_paused;
        if (!_paused)
        {
            Rerun();
        }
    }

    private void GoToPage(int page)
    {
        _page = Math.Clamp(page, 0, PageCount - 1);
        BuildRows();
    }

    private void AddColumn(ChangeEventArgs e)
    {
        if (e.Value is string { Length: > 0 } key && !_columns.Contains(key))
        {
            _columns.Add(key);
            BuildRows();
        }
    }

    private void RemoveColumn(string key)
    {
        _columns.Remove(key);
        BuildRows();
    }

    private void MoveColumnLeft(string key)
    {
        var at = _columns.IndexOf(key);
        if (at > 0)
        {
            (_columns[at - 1], _columns[at]) = (_columns[at], _columns[at - 1]);
            BuildRows();
        }
    }

    private void ChooseGroupBy(ChangeEventArgs e)
    {
        _groupBy = e.Value as string ?? string.Empty;
        _groups = _groupBy.Length == 0 ? null : LogGroups.Compute(_result.Lines, _groupBy, _groupValue);
    }

    private void ChooseGroupValue(ChangeEventArgs e)
    {
        _groupValue = e.Value is string { Length: > 0 } value ? value : null;
        _groups = _groupBy.Length == 0 ? null : LogGroups.Compute(_result.Lines, _groupBy, _groupValue);
    }

    /// <summary>The logs API with the current filter and window, so a download is what the table shows.</summary>
    private string ExportUrl(string format)
    {
        var url = $"api/apps/{Uri.EscapeDataString(App)}/logs?format={format}&limit={LogEndpoints.MaxLimit}&q={Uri.EscapeDataString(_query.Text)}";
        if (_searchRange is ({ } from, { } to))
        {
            // Whole seconds, widened outwards, so the download never misses a line the table shows.
            url += $"&from={Uri.EscapeDataString(Iso(from.AddSeconds(-1)))}&to={Uri.EscapeDataString(Iso(to.AddSeconds(1)))}";
        }

        return url;
    }

    /// <summary>What the notice says for one reason lines before its time are missing.</summary>
    public static string NotKeptText(LinesKept kept)
    {
        var time = kept.From.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        return kept.DeletedBy switch
        {
            LinesDeletedBy.LiveBuffer => $"Router and runtime lines before {time} are no longer kept (they live on in the charts): before then this search finds only app lines, raw lines and errors.",
            LinesDeletedBy.AppCap => $"Lines before {time} are no longer all kept: older ones were deleted to stay within this app's line cap (Storage:MaxLogLinesPerApp).",
            LinesDeletedBy.DiskCap => $"Lines before {time} are no longer all kept: older ones were deleted to stay within the overall line cap (Storage:MaxLogLines).",
            _ => $"Lines before {time} are no longer all kept: older ones reached the end of their retention (Storage:RetentionDays).",
        };
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private sealed record Row(LogLine Line, IReadOnlyList<string> Values);
}
