using System.Globalization;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Ingestion;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Storage;

/// <summary>
/// Watches free space on the data folder's filesystem against <see cref="StorageOptions.MinFreeBytes"/>. Below the
/// floor the drain refuses new batches (503) so what is already acknowledged still has room to reach history; above
/// it again, the drain takes batches by itself. Checked every <see cref="StorageOptions.FreeSpaceCheckInterval"/>
/// (one <c>statvfs</c>), and at once when a journal append fails.
/// </summary>
public sealed partial class FreeSpaceWatch : BackgroundService
{
    private const double Mib = 1024 * 1024;
    private readonly string _folder;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FreeSpaceWatch> _logger;
    private readonly StorageHealth? _health;
    private readonly Lock _gate = new();
    private volatile bool _low;
    private long _freeBytes = -1;
    private DateTimeOffset? _lowSince;

    public FreeSpaceWatch(IOptions<StorageOptions> options, IHostEnvironment environment, TimeProvider time,
        ILogger<FreeSpaceWatch> logger, StorageHealth? health = null)
    {
        _options = options.Value;
        _folder = DataFolder.Resolve(_options, environment);
        _time = time;
        _logger = logger;
        _health = health;
        Core.PrivateFiles.CreateFolder(_folder);
        Check();
        LogStart(_logger, _folder, _freeBytes / Mib, _options.MinFreeBytes / Mib);
    }

    /// <summary>Free space is under the floor: new drain batches are refused.</summary>
    public bool IsLow => _low;

    /// <summary>Checks now; returns whether space is low.</summary>
    public bool Check()
    {
        long free;
        try
        {
            free = new DriveInfo(_folder).AvailableFreeSpace;
        }
        catch (IOException)
        {
            return _low; // the folder is unreadable for a moment: keep the last verdict
        }

        var low = free < _options.MinFreeBytes;
        bool changed;
        lock (_gate)
        {
            Interlocked.Exchange(ref _freeBytes, free);
            changed = low != _low;
            if (changed)
            {
                _lowSince = low ? _time.GetUtcNow() : null;
                _low = low;
            }
        }

        if (changed && low)
        {
            LogLow(_logger, _folder, free / Mib, _options.MinFreeBytes / Mib);
            _health?.Set(new StorageCondition(StorageConditionKinds.DiskLow, string.Create(CultureInfo.InvariantCulture,
                $"Disk space low under {_folder}: {free / Mib:0.#} MiB free, under the {_options.MinFreeBytes / Mib:0.#} MiB floor (Storage:MinFreeBytes); the drain refuses new batches (Logplex retries them) until space returns"),
                _time.GetUtcNow(), Blocking: true));
        }
        else if (changed)
        {
            LogRecovered(_logger, _folder, free / Mib);
            _health?.Clear(StorageConditionKinds.DiskLow);
        }

        if (changed)
        {
            Changed?.Invoke();
        }

        return low;
    }

    /// <summary>Raised when space goes under the floor or back over it.</summary>
    public event Action? Changed;

    public DiskSpaceStatus Status()
    {
        lock (_gate)
        {
            return new DiskSpaceStatus(_folder, Interlocked.Read(ref _freeBytes), _options.MinFreeBytes, _low, _lowSince);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.FreeSpaceCheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Check();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data folder {Folder}: {FreeMiB:0.#} MiB free; the drain refuses batches below {FloorMiB:0.#} MiB (Storage:MinFreeBytes)")]
    private static partial void LogStart(ILogger logger, string folder, double freeMiB, double floorMiB);

    [LoggerMessage(Level = LogLevel.Error, Message = "Disk space low under {Folder}: {FreeMiB:0.#} MiB free, under Storage:MinFreeBytes ({FloorMiB:0.#} MiB); the drain answers 503 (Logplex keeps and retries the batches) until space returns")]
    private static partial void LogLow(ILogger logger, string folder, double freeMiB, double floorMiB);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disk space back under {Folder}: {FreeMiB:0.#} MiB free; the drain takes batches again")]
    private static partial void LogRecovered(ILogger logger, string folder, double freeMiB);
}

/// <summary>The <c>disk</c> section of <c>GET /api/status</c>.</summary>
public sealed record DiskSpaceStatus(string Folder, long FreeBytes, long MinFreeBytes, bool Low, DateTimeOffset? LowSince);
