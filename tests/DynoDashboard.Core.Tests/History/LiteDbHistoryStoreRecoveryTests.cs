using DynoDashboard.Core.History;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

/// <summary><see cref="LiteDbHistoryStore.OpenOrRecover"/> on real LiteDB files damaged as issue 16 found them: the
/// store opens anyway, says what it did, and keeps the damaged file aside; a healthy file is opened as it is.</summary>
public sealed class LiteDbHistoryStoreRecoveryTests : IDisposable
{
    // Relative to the run, never a fixed date; the store itself does not compare with the clock.
    private static readonly DateTimeOffset s_t0 = new(DateTime.UtcNow.Date.AddDays(-1).AddHours(10), TimeSpan.Zero);
    private readonly TempHistoryFile _file = new();

    [Fact]
    public void HealthyFile_IsOpenedAsItIs()
    {
        WriteSamples();

        using var store = LiteDbHistoryStore.OpenOrRecover(_file.Path, HistoryBudgets.Shared(100_000), DateTimeOffset.UtcNow, out var recovery);

        Assert.Null(recovery);
        Assert.Single(store.ReadSamples(s_t0.AddHours(-1)));
        Assert.Equal([Path.GetFileName(_file.Path)], Directory.GetFiles(_file.Folder).Select(Path.GetFileName)
            .Where(n => !n!.Contains("-log", StringComparison.Ordinal)));
    }

    [Fact]
    public void HeaderOverwritten_IsMovedAsideNamedWithTheTime_AndANewFileStarts()
    {
        WriteSamples();
        var length = new FileInfo(_file.Path).Length;
        OverwriteHead(_file.Path);
        var now = DateTimeOffset.UtcNow;

        HistoryRecovery? recovery;
        using (var store = LiteDbHistoryStore.OpenOrRecover(_file.Path, HistoryBudgets.Shared(100_000), now, out recovery))
        {
            Assert.Empty(store.GetApps());
            Assert.Equal(0, store.ReadJournalCheckpoint()); // the journal replays everything it holds into it
        }

        Assert.NotNull(recovery);
        Assert.Equal(HistoryRecoveryKind.Replaced, recovery.Kind);
        Assert.Equal(_file.Path, recovery.DamagedPath);
        Assert.Equal($"{_file.Path}.damaged-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}", recovery.MovedTo);
        Assert.Equal(length, new FileInfo(recovery.MovedTo).Length); // kept as it was, for whoever wants to dig

        // Healthy now: the next open does nothing. Damaged again within the same second: the first one is not overwritten.
        using (var again = LiteDbHistoryStore.OpenOrRecover(_file.Path, HistoryBudgets.Shared(100_000), now, out var none))
        {
            Assert.Null(none);
        }

        WriteSamples();
        OverwriteHead(_file.Path);
        using (LiteDbHistoryStore.OpenOrRecover(_file.Path, HistoryBudgets.Shared(100_000), now, out var second))
        {
            Assert.Equal(recovery.MovedTo + "-2", second!.MovedTo);
            Assert.True(File.Exists(recovery.MovedTo));
        }
    }

    [Fact]
    public void TailCutOff_OpensAnyway_AndTheDamagedFileIsKept()
    {
        WriteSamples();
        using (var file = new FileStream(_file.Path, FileMode.Open))
        {
            file.SetLength(file.Length - 4096);
        }

        using var store = LiteDbHistoryStore.OpenOrRecover(_file.Path, HistoryBudgets.Shared(100_000), DateTimeOffset.UtcNow, out var recovery);

        Assert.NotNull(recovery);
        Assert.True(File.Exists(recovery.MovedTo));
        Assert.Contains("not a whole number", recovery.Cause.Message, StringComparison.Ordinal);
        store.CheckReadable();
    }

    public void Dispose() => _file.Dispose();

    private void WriteSamples()
    {
        using var store = _file.Open();
        store.Write([LiteDbHistoryStoreTests.Batch("myapp", b => TestLines.Load(b, s_t0, "web.1", 0.5))]);
    }

    private static void OverwriteHead(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var garbage = new byte[4096];
        new Random(16).NextBytes(garbage); // seeded: the same damage every run
        file.Write(garbage);
    }
}
