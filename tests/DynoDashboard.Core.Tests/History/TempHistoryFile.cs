using DynoDashboard.Core.History;

namespace DynoDashboard.Core.Tests.History;

/// <summary>A LiteDB file of its own in a temporary folder, deleted with the folder at the end of the test.</summary>
internal sealed class TempHistoryFile : IDisposable
{
    public TempHistoryFile() =>
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dynodash-core-tests", Guid.NewGuid().ToString("N"));

    public string Folder { get; }

    public string Path => System.IO.Path.Combine(Folder, "history.db");

    /// <summary>Opens the file; dispose the store before opening it again (one instance per file).</summary>
    public LiteDbHistoryStore Open(int maxLogLines = 100_000) => new(Path, maxLogLines);

    /// <summary>Opens the file with per-app budgets.</summary>
    public LiteDbHistoryStore Open(HistoryBudgets budgets) => new(Path, budgets);

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
