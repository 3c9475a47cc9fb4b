using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Live;

/// <summary>
/// One dyno's router traffic over one <see cref="LiveStoreOptions.RollupBucketSeconds"/>-second bucket:
/// counts by status class and H code, connect/service latency and bytes. Mutable and reused: the store
/// recycles the rollup of an expired bucket with <see cref="Reset"/>, so recording a plain router line
/// allocates nothing once the histograms have grown. Readers get a <see cref="RouterRollupSnapshot"/>.
/// </summary>
public sealed partial class RouterRollup
{
    // Index 0 is "no status" (status= empty), 1..5 are 1xx..5xx.
    private readonly int[] _statusClasses = new int[6];

    // Few distinct H codes per bucket, so a small array beats a dictionary.
    private CodeCount[] _errors = [];
    private int _errorCodes;

    public RouterRollup(DateTimeOffset start) => Start = start;

    public DateTimeOffset Start { get; private set; }

    public int Requests { get; private set; }

    /// <summary>Requests that carried an H code.</summary>
    public int Errors { get; private set; }

    public long Bytes { get; private set; }

    public LatencyHistogram Connect { get; } = new();

    public LatencyHistogram Service { get; } = new();

    /// <summary>Requests of status class <paramref name="statusClass"/> (1–5), or with no status (0).</summary>
    public int StatusClassCount(int statusClass) =>
        statusClass is >= 0 and <= 5 ? _statusClasses[statusClass] : 0;

    /// <summary>Distinct H codes counted, in the order <see cref="ToSnapshot"/> lists them.</summary>
    internal int ErrorCodeCount => _errorCodes;

    /// <summary>The <paramref name="index"/>th H code counted and its count (history encodes them without a snapshot).</summary>
    internal (string Code, int Count) ErrorCodeAt(int index) => (_errors[index].Code, _errors[index].Count);

    /// <summary>Requests with H code <paramref name="code"/> (<c>H12</c>).</summary>
    public int ErrorCount(string code)
    {
        for (var i = 0; i < _errorCodes; i++)
        {
            if (string.Equals(_errors[i].Code, code, StringComparison.Ordinal))
            {
                return _errors[i].Count;
            }
        }

        return 0;
    }

    public void Add(in RouterRequest request)
    {
        Requests++;
        _statusClasses[request.StatusClass]++;
        if (request.ConnectMs is { } connect)
        {
            Connect.Record(connect);
        }

        if (request.ServiceMs is { } service)
        {
            Service.Record(service);
        }

        if (request.Bytes is { } bytes)
        {
            Bytes += bytes;
        }

        if (request.Code is { } code)
        {
            Errors++;
            AddError(code.Code, 1);
        }
    }

    /// <summary>Empties the rollup for reuse as the bucket starting at <paramref name="start"/>.</summary>
    public void Reset(DateTimeOffset start)
    {
        Start = start;
        Requests = 0;
        Errors = 0;
        Bytes = 0;
        Array.Clear(_statusClasses);
        Array.Clear(_errors, 0, _errorCodes);
        _errorCodes = 0;
        Connect.Reset();
        Service.Reset();
    }

    /// <summary>A copy for readers, covering [Start, Start + <paramref name="width"/>).</summary>
    public RouterRollupSnapshot ToSnapshot(TimeSpan width)
    {
        IReadOnlyDictionary<string, int> errors = RouterRollupSnapshot.NoErrors;
        if (_errorCodes > 0)
        {
            var copy = new Dictionary<string, int>(_errorCodes, StringComparer.Ordinal);
            for (var i = 0; i < _errorCodes; i++)
            {
                copy[_errors[i].Code] = _errors[i].Count;
            }

            errors = copy;
        }

        return new RouterRollupSnapshot(
            Start,
            Start + width,
            Requests,
            new StatusClassCounts(_statusClasses[1], _statusClasses[2], _statusClasses[3], _statusClasses[4],
                _statusClasses[5], _statusClasses[0]),
            Errors,
            errors,
            Connect.Clone(),
            Service.Clone(),
            Bytes);
    }

    /// <summary>Adds this bucket's counts by H code to <paramref name="byCode"/>.</summary>
    internal void AddErrorsTo(Dictionary<string, int> byCode)
    {
        for (var i = 0; i < _errorCodes; i++)
        {
            byCode[_errors[i].Code] = byCode.GetValueOrDefault(_errors[i].Code) + _errors[i].Count;
        }
    }

    private void AddError(string code, int count)
    {
        for (var i = 0; i < _errorCodes; i++)
        {
            if (string.Equals(_errors[i].Code, code, StringComparison.Ordinal))
            {
                _errors[i].Count += count;
                return;
            }
        }

        if (_errorCodes == _errors.Length)
        {
            Array.Resize(ref _errors, Math.Max(2, _errors.Length * 2));
        }

        _errors[_errorCodes++] = new CodeCount { Code = code, Count = count };
    }

    private struct CodeCount
    {
        public string Code;
        public int Count;
    }
}
