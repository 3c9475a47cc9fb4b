using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using DynoDashboard.Web.Ingestion;
using Microsoft.Win32.SafeHandles;

namespace DynoDashboard.Web.Storage;

/// <summary>
/// An append-only journal of accepted drain bodies: the drain's 204 promises durability, so a body is on disk before
/// the answer, not only in the queue. History stores the position of the last body it has fully written in the same
/// LiteDB transaction as the facts (<c>journal checkpoint</c>); after a crash the ingestion service re-reads the
/// bodies after that position, so nothing acknowledged is lost and nothing is stored twice.
/// <para>
/// Files are segments named by their first position (<c>{position:D16}.journal</c>); a position is a byte offset into
/// the whole journal, so it only grows. Segments wholly before the checkpoint are deleted. The journal never holds
/// more than its byte budget, and never drops a body history does not have yet: a batch that does not fit is refused
/// (<see cref="TryAppend"/> returns false) and the drain answers 503, so Logplex keeps it and retries.
/// </para>
/// <para>
/// Record: magic (4 B), payload length (4 B), CRC-32 of the payload (4 B), then the payload: format (1 B),
/// received-at ticks (8 B), declared message count or -1 (4 B), app length (1 B), app, frame-id length (1 B),
/// frame id, body. A crash can tear only the last record; the CRC finds it and the tail is cut at start. A record damaged inside a
/// segment (a bad disk block) is skipped and counted, and the scan picks up at the next whole record.
/// </para>
/// </summary>
public sealed partial class DrainJournal : IDisposable
{
    public const string Extension = ".journal";
    private const uint Magic = 0x4A44_4444; // "DDDJ" little-endian
    private const int HeaderBytes = 12;
    private const int FixedPayloadBytes = 1 + 8 + 4 + 1 + 1;
    private const int MaxFrameIdBytes = 255;

    private readonly string _folder;
    private readonly long _segmentBytes;
    private readonly long _maxBytes;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly LinkedList<Segment> _closed = new();
    private readonly byte[] _header = new byte[HeaderBytes + FixedPayloadBytes + 255 + MaxFrameIdBytes];
    private readonly Crc32 _crc = new(); // reused under _gate: one less allocation per append
    private readonly Timer? _fsync;
    private readonly List<Segment> _recovered;
    private readonly List<DrainJournalDamage> _damage = [];
    private long _openCheckpoint;
    private bool _attached;
    private SafeFileHandle? _current;
    private long _currentBase;
    private long _currentLength;
    private long _closedBytes;
    private long _refused;
    private long _failed;
    private long _appended;
    private long _replayed;
    private long _checkpoint;
    private bool _dirty;

    private DrainJournal(string folder, long segmentBytes, long maxBytes, TimeSpan? fsyncInterval, long? known, ILogger logger)
    {
        var checkpoint = known ?? 0;
        _folder = folder;
        _segmentBytes = segmentBytes;
        _maxBytes = maxBytes;
        _logger = logger;
        _checkpoint = checkpoint;
        _openCheckpoint = checkpoint;
        _attached = known is not null;
        Core.PrivateFiles.CreateFolder(folder);
        _recovered = Recover();
        foreach (var segment in _recovered)
        {
            _closed.AddLast(segment);
            _closedBytes += segment.Length;
        }

        // Positions continue after the last record, and never restart below the checkpoint history holds (a deleted
        // journal folder must not make new bodies look already written).
        _currentBase = Math.Max(_recovered.Count == 0 ? 0 : _recovered[^1].End, checkpoint);
        OpenCurrent();
        // A killed process loses nothing that reached the page cache, and a segment is usually deleted (history has
        // it) long before the kernel writes it back, so by default the journal costs almost no disk I/O. Syncing
        // also covers power cuts, at the price of writing every body to disk (measured: it slowed LiteDB's commits
        // enough to halve ingestion under a flood).
        if (fsyncInterval is { } interval)
        {
            _fsync = new Timer(_ => FlushToDisk(), null, interval, interval);
        }
    }

    /// <summary>Opens (or creates) the journal in <paramref name="folder"/>; <paramref name="checkpoint"/> is the
    /// position history last stored, or null while history's store has not been reached (a database that is not up
    /// yet): the journal then takes nothing until <see cref="Attach"/>. With <paramref name="fsyncInterval"/> the
    /// journal is synced to disk that often.</summary>
    public static DrainJournal Open(string folder, long segmentBytes, long maxBytes, TimeSpan? fsyncInterval,
        long? checkpoint, ILogger logger) =>
        new(folder, segmentBytes, maxBytes, fsyncInterval, checkpoint, logger);

    /// <summary>False between an <see cref="Open"/> without a checkpoint and <see cref="Attach"/>.</summary>
    public bool IsAttached
    {
        get
        {
            lock (_gate)
            {
                return _attached;
            }
        }
    }

    /// <summary>
    /// Gives the journal history's checkpoint, once history's store has been reached. Positions must continue above
    /// it: on a new disk (a Heroku dyno's, whose journal folder starts empty) the empty current segment is started
    /// again at the checkpoint, so a new body can never look already stored.
    /// </summary>
    public void Attach(long checkpoint)
    {
        lock (_gate)
        {
            if (_attached)
            {
                return;
            }

            _checkpoint = _openCheckpoint = checkpoint;
            if (checkpoint > _currentBase && _currentLength == 0)
            {
                var empty = SegmentPath(_currentBase);
                _current!.Dispose();
                DeleteFile(empty);
                _currentBase = checkpoint;
                OpenCurrent();
            }

            _attached = true;
        }

        Release(checkpoint);
    }

    /// <summary>Segments in which damaged records were found (and skipped) at open.</summary>
    public IReadOnlyList<DrainJournalDamage> Damage => _damage;

    /// <summary>The position after the last appended record.</summary>
    public long Position
    {
        get
        {
            lock (_gate)
            {
                return _currentBase + _currentLength;
            }
        }
    }

    /// <summary>
    /// Appends the batch; <paramref name="position"/> is the position after it (what the checkpoint will say once it
    /// is written). False, with nothing written, when it does not fit in the byte budget beside the bodies history
    /// does not have yet. An I/O error (a full disk) is thrown, with the journal left as it was before the call.
    /// </summary>
    public bool TryAppend(DrainBatch batch, out long position)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            var handle = _current ?? throw new ObjectDisposedException(nameof(DrainJournal));
            if (!_attached)
            {
                _refused++; // the drain checks first; this only keeps positions safe
                position = 0;
                return false;
            }

            var prefix = WritePrefix(batch);
            var body = batch.Body;
            if (!MakeRoom(prefix + body.Length))
            {
                _refused++;
                position = 0;
                return false;
            }

            try
            {
                if (_currentLength >= _segmentBytes)
                {
                    Rotate();
                    handle = _current!;
                }

                var payloadLength = prefix - HeaderBytes + body.Length;
                _crc.Reset();
                _crc.Append(_header.AsSpan(HeaderBytes, prefix - HeaderBytes));
                _crc.Append(body);
                BinaryPrimitives.WriteUInt32LittleEndian(_header, Magic);
                BinaryPrimitives.WriteInt32LittleEndian(_header.AsSpan(4), payloadLength);
                BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(8), _crc.GetCurrentHashAsUInt32());
                RandomAccess.Write(handle, _header.AsSpan(0, prefix), _currentLength);
                RandomAccess.Write(handle, body, _currentLength + prefix);
            }
            catch (IOException)
            {
                _failed++;
                CutTo(_current!, _currentLength);
                throw;
            }

            _currentLength += prefix + body.Length;
            _appended++;
            _dirty = true;
            position = _currentBase + _currentLength;
            return true;
        }
    }

    /// <summary>History has stored every body up to <paramref name="checkpoint"/>: delete the segments before it.</summary>
    /// <remarks>The files are unlinked after the lock is let go: freeing a 16 MiB segment's pages takes a while, and
    /// under the lock every drain request's append waited for it. Only the caller (history's writer) pays now.</remarks>
    public void Release(long checkpoint)
    {
        List<string>? released = null;
        lock (_gate)
        {
            _checkpoint = Math.Max(_checkpoint, checkpoint);
            while (_closed.First is { } first && first.Value.End <= _checkpoint)
            {
                Forget(first.Value);
                (released ??= []).Add(first.Value.Path);
            }
        }

        foreach (var path in released ?? [])
        {
            DeleteFile(path);
        }
    }

    /// <summary>The bodies after the checkpoint given at open, in the segments found at start (crash recovery),
    /// oldest first. Each batch owns a pooled buffer; the caller disposes it.</summary>
    public IEnumerable<DrainBatch> ReadUnwritten()
    {
        var checkpoint = _openCheckpoint;
        foreach (var segment in _recovered)
        {
            if (segment.End <= checkpoint || !File.Exists(segment.Path))
            {
                continue;
            }

            foreach (var batch in ReadSegment(segment, checkpoint))
            {
                Interlocked.Increment(ref _replayed);
                yield return batch;
            }
        }
    }

    public DrainJournalStatus Status()
    {
        lock (_gate)
        {
            return new DrainJournalStatus(
                Bytes: _closedBytes + _currentLength,
                Segments: _closed.Count + 1,
                Position: _currentBase + _currentLength,
                Checkpoint: _checkpoint,
                AppendedBatches: _appended,
                ReplayedBatches: Interlocked.Read(ref _replayed),
                RefusedBatches: _refused,
                FailedAppends: _failed)
            {
                DamagedRecords = _damage.Sum(d => d.Records),
            };
        }
    }

    public void Dispose()
    {
        _fsync?.Dispose();
        lock (_gate)
        {
            if (_current is { } handle)
            {
                RandomAccess.FlushToDisk(handle);
                handle.Dispose();
                _current = null;
            }
        }
    }

    private int WritePrefix(DrainBatch batch)
    {
        var span = _header.AsSpan(HeaderBytes);
        span[0] = (byte)batch.Format;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], batch.ReceivedAt.UtcTicks);
        BinaryPrimitives.WriteInt32LittleEndian(span[9..], batch.DeclaredMessageCount ?? -1);
        // App names are at most 64 ASCII characters (AppName.IsValid), so one length byte is enough.
        var app = Encoding.UTF8.GetBytes(batch.App, span[14..]);
        span[13] = (byte)app;
        var at = 14 + app;
        var frameId = batch.FrameId is { Length: > 0 and <= MaxFrameIdBytes } id && Encoding.UTF8.GetByteCount(id) <= MaxFrameIdBytes
            ? Encoding.UTF8.GetBytes(id, span[(at + 1)..])
            : 0; // an odd frame id is not kept: the replayed batch then just cannot drop a retry of itself
        span[at] = (byte)frameId;
        return HeaderBytes + at + 1 + frameId;
    }

    private static IEnumerable<DrainBatch> ReadSegment(Segment segment, long checkpoint)
    {
        using var stream = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 64 * 1024);
        var header = new byte[HeaderBytes];
        long offset = 0;
        var skip = 0;
        while (offset < segment.Length)
        {
            if (skip < segment.Skipped.Count && segment.Skipped[skip].Start == offset)
            {
                // A damaged record found at start: its bytes stay in the file (positions are offsets), unread.
                offset = segment.Skipped[skip++].End;
                stream.Seek(offset, SeekOrigin.Begin);
                continue;
            }

            stream.ReadExactly(header);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
            var end = segment.Base + offset + HeaderBytes + length;
            if (end <= checkpoint)
            {
                stream.Seek(length, SeekOrigin.Current);
                offset += HeaderBytes + length;
                continue;
            }

            var payload = DrainBodyBuffers.Pool.Rent(length);
            stream.ReadExactly(payload, 0, length);
            offset += HeaderBytes + length;
            yield return Decode(payload, length, end);
        }
    }

    private static DrainBatch Decode(byte[] payload, int length, long end)
    {
        var span = payload.AsSpan(0, length);
        var format = (DrainFormat)span[0];
        var receivedAt = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(span[1..]), TimeSpan.Zero);
        var declared = BinaryPrimitives.ReadInt32LittleEndian(span[9..]);
        var appLength = span[13];
        var app = Encoding.UTF8.GetString(span.Slice(14, appLength));
        var at = 14 + appLength;
        var frameIdLength = span[at];
        var frameId = frameIdLength == 0 ? null : Encoding.UTF8.GetString(span.Slice(at + 1, frameIdLength));
        var bodyStart = at + 1 + frameIdLength;
        // The body moves to the front of the rented buffer, so the batch owns it without another copy.
        span[bodyStart..].CopyTo(span);
        return new DrainBatch(app, format, payload, length - bodyStart, receivedAt, declared < 0 ? null : declared)
        {
            FrameId = frameId,
            JournalPosition = end,
        };
    }

    /// <summary>Finds the segments on disk and checks every record's CRC: a torn tail is cut, and a damaged record
    /// inside a segment is skipped while the whole records after it are kept.</summary>
    private List<Segment> Recover()
    {
        var segments = new List<Segment>();
        foreach (var path in Directory.EnumerateFiles(_folder, "*" + Extension))
        {
            if (long.TryParse(System.IO.Path.GetFileNameWithoutExtension(path), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var start))
            {
                segments.Add(new Segment(start, new FileInfo(path).Length, path));
            }
        }

        segments.Sort((a, b) => a.Base.CompareTo(b.Base));
        for (var i = 0; i < segments.Count; i++)
        {
            // A killed process can tear only the newest segment, but a power cut can leave any unsynced page
            // behind, so every segment is checked; reading them once at start is cheap next to losing a record.
            var (valid, skipped) = Scan(segments[i].Path);
            if (skipped.Count > 0)
            {
                var bytes = skipped.Sum(r => r.End - r.Start);
                LogDamagedRecords(_logger, segments[i].Path, skipped.Count, bytes);
                _damage.Add(new DrainJournalDamage(segments[i].Path, skipped.Count, bytes));
                segments[i] = segments[i] with { Skipped = skipped };
            }

            if (valid < segments[i].Length)
            {
                LogTornTail(_logger, segments[i].Path, segments[i].Length - valid);
                using (var handle = File.OpenHandle(segments[i].Path, FileMode.Open, FileAccess.ReadWrite))
                {
                    RandomAccess.SetLength(handle, valid);
                }

                segments[i] = segments[i] with { Length = valid };
            }
        }

        segments.RemoveAll(s =>
        {
            if (s.Length > 0 && s.End > _checkpoint)
            {
                return false;
            }

            File.Delete(s.Path);
            return true;
        });
        return segments;
    }

    /// <summary>The end of the last whole, CRC-correct record, and the damaged ranges before it: after a bad record the
    /// scan resynchronises on the next offset that holds the magic and a whole record with a correct CRC.</summary>
    private static (long Valid, List<ByteRange> Skipped) Scan(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024);
        var scratch = new byte[64 * 1024];
        var skipped = new List<ByteRange>();
        long at = 0;
        while (true)
        {
            var length = RecordLengthAt(stream, at, scratch);
            if (length > 0)
            {
                at += length;
                continue;
            }

            if (at >= stream.Length)
            {
                return (at, skipped);
            }

            var next = NextRecord(stream, at + 1, scratch);
            if (next < 0)
            {
                return (at, skipped); // nothing whole after it: a torn tail, cut
            }

            skipped.Add(new ByteRange(at, next));
            at = next;
        }
    }

    /// <summary>The length of the whole, CRC-correct record at <paramref name="offset"/>, or 0.</summary>
    private static long RecordLengthAt(FileStream stream, long offset, byte[] scratch)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        stream.Position = offset;
        if (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes ||
            BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            return 0;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (length < FixedPayloadBytes || length > stream.Length - stream.Position)
        {
            return 0;
        }

        var crc = new Crc32();
        for (var left = length; left > 0;)
        {
            var read = stream.Read(scratch, 0, Math.Min(left, scratch.Length));
            crc.Append(scratch.AsSpan(0, read));
            left -= read;
        }

        return crc.GetCurrentHashAsUInt32() == BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) ? HeaderBytes + length : 0;
    }

    /// <summary>The first offset from <paramref name="from"/> on where a whole record starts, or -1.</summary>
    private static long NextRecord(FileStream stream, long from, byte[] scratch)
    {
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, Magic);
        var chunk = new byte[64 * 1024];
        for (var start = from; start < stream.Length - HeaderBytes;)
        {
            stream.Position = start;
            var read = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            var found = chunk.AsSpan(0, read).IndexOf(magic);
            if (found < 0)
            {
                // The magic may straddle the chunk's end: the next chunk starts 3 bytes back.
                start += Math.Max(1, read - 3);
                continue;
            }

            var candidate = start + found;
            if (RecordLengthAt(stream, candidate, scratch) > 0)
            {
                return candidate;
            }

            start = candidate + 1;
        }

        return -1;
    }

    private void OpenCurrent()
    {
        var path = SegmentPath(_currentBase);
        _current = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        if (!OperatingSystem.IsWindows())
        {
            // Drain bodies are the apps' logs: the owner's only (OpenHandle takes no create mode).
            File.SetUnixFileMode(_current, Core.PrivateFiles.FileMode);
        }

        _currentLength = 0;
    }

    /// <summary>Rotates by opening the next segment first: when that fails (no space for a new file) the journal is
    /// left as it was, still appending to the current one.</summary>
    private void Rotate()
    {
        var nextBase = _currentBase + _currentLength;
        var next = File.OpenHandle(SegmentPath(nextBase), FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var handle = _current!;
        try
        {
            if (_fsync is not null)
            {
                RandomAccess.FlushToDisk(handle);
            }
        }
        catch (IOException)
        {
            next.Dispose();
            File.Delete(SegmentPath(nextBase));
            throw;
        }

        handle.Dispose();
        var closed = new Segment(_currentBase, _currentLength, SegmentPath(_currentBase));
        // Kept even when history already has all of it: the next Release deletes it, off this lock (an append holds
        // it, with drain requests queued behind).
        _closed.AddLast(closed);
        _closedBytes += closed.Length;
        _current = next;
        _currentBase = nextBase;
        _currentLength = 0;
    }

    /// <summary>Whether a record of <paramref name="recordBytes"/> fits in the budget, after deleting segments history
    /// already has. An empty journal takes any record, so a body larger than the budget cannot block the drain.</summary>
    private bool MakeRoom(long recordBytes)
    {
        while (_closedBytes + _currentLength + recordBytes > _maxBytes && _closed.First is { } oldest &&
               oldest.Value.End <= _checkpoint)
        {
            Delete(oldest.Value);
        }

        return _closedBytes + _currentLength + recordBytes <= _maxBytes || _currentBase + _currentLength <= _checkpoint;
    }

    /// <summary>Cuts what a failed write left after the last whole record. Best effort: if even that fails, the CRC
    /// check at the next start cuts it (the next append overwrites it first anyway).</summary>
    private void CutTo(SafeFileHandle handle, long length)
    {
        try
        {
            RandomAccess.SetLength(handle, length);
        }
        catch (IOException ex)
        {
            LogCutFailed(_logger, ex, length);
        }
    }

    private void Delete(Segment segment)
    {
        Forget(segment);
        DeleteFile(segment.Path);
    }

    /// <summary>Drops the oldest closed segment from the books; its file is deleted by the caller.</summary>
    private void Forget(Segment segment)
    {
        _closed.RemoveFirst();
        _closedBytes -= segment.Length;
    }

    private void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException ex)
        {
            LogDeleteFailed(_logger, ex, path);
        }
    }

    private void FlushToDisk()
    {
        SafeFileHandle? handle;
        lock (_gate)
        {
            if (!_dirty)
            {
                return;
            }

            _dirty = false;
            handle = _current;
        }

        try
        {
            if (handle is not null)
            {
                RandomAccess.FlushToDisk(handle);
            }
        }
        catch (ObjectDisposedException)
        {
            // Rotated or disposed meanwhile; both flush the segment they close.
        }
    }

    private string SegmentPath(long start) =>
        System.IO.Path.Combine(_folder, start.ToString("D16", System.Globalization.CultureInfo.InvariantCulture) + Extension);

    private sealed record Segment(long Base, long Length, string Path)
    {
        public long End => Base + Length;

        /// <summary>Damaged records (offsets in the file), in order; read past.</summary>
        public List<ByteRange> Skipped { get; init; } = [];
    }

    private readonly record struct ByteRange(long Start, long End);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain journal {Path}: cut {Bytes} torn bytes at its end (a crash mid-write)")]
    private static partial void LogTornTail(ILogger logger, string path, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not cut the drain journal's current segment back to {Length} bytes after a failed append")]
    private static partial void LogCutFailed(ILogger logger, Exception exception, long length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain journal {Path}: skipped {Records} damaged records ({Bytes} bytes that fail their CRC); the records after them are kept and replayed")]
    private static partial void LogDamagedRecords(ILogger logger, string path, int records, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete drain journal segment {Path}")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string path);
}

/// <summary>Damaged records found in one segment at open: skipped, the records around them kept.</summary>
public sealed record DrainJournalDamage(string Path, int Records, long Bytes);

/// <summary>The <c>journal</c> section of <c>GET /api/status</c>. <see cref="RefusedBatches"/>: batches answered 503
/// because the journal was at its byte budget (history behind or failing); <see cref="FailedAppends"/>: appends that
/// failed with an I/O error (a full disk), also answered 503.</summary>
public sealed record DrainJournalStatus(
    long Bytes,
    int Segments,
    long Position,
    long Checkpoint,
    long AppendedBatches,
    long ReplayedBatches,
    long RefusedBatches,
    long FailedAppends)
{
    /// <summary>Damaged records found inside segments at start: skipped (they fail their CRC), the records around
    /// them replayed.</summary>
    public long DamagedRecords { get; init; }
}

