using System.Text.RegularExpressions;

namespace DynoDashboard.Core.Tests.Architecture;

/// <summary>Core's folders are layers that point one way (ARCHITECTURE.md): a folder uses only folders below it, so
/// the model can be read, and the history store swapped, without the rest.</summary>
public sealed partial class LayerTests
{
    // Lowest first. Analysis and Query sit side by side: neither uses the other.
    private static readonly string[][] s_layers = [["Model"], ["Parsing"], ["Live"], ["Analysis", "Query"], ["History"]];

    [Fact]
    public void CoreFolders_UseOnlyFoldersBelowThem()
    {
        var core = Path.Combine(RepositoryRoot(), "src", "DynoDashboard.Core");
        var violations = new List<string>();
        for (var level = 0; level < s_layers.Length; level++)
        {
            foreach (var folder in s_layers[level])
            {
                var allowed = s_layers.Take(level).SelectMany(l => l).Append(folder).ToHashSet(StringComparer.Ordinal);
                foreach (var file in Directory.EnumerateFiles(Path.Combine(core, folder), "*.cs"))
                {
                    var text = File.ReadAllText(file);
                    foreach (Match used in CoreNamespace().Matches(text))
                    {
                        if (!allowed.Contains(used.Groups[1].Value))
                        {
                            violations.Add($"{folder}/{Path.GetFileName(file)} uses {used.Groups[1].Value}");
                        }
                    }
                }
            }
        }

        Assert.Empty(violations.Distinct());
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "DynoDashboard.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("DynoDashboard.sln not found above " + AppContext.BaseDirectory);
    }

    // `using DynoDashboard.Core.X;` and qualified uses such as `Core.X.Type` / `DynoDashboard.Core.X.Type`.
    [GeneratedRegex(@"(?<![\w.])(?:DynoDashboard\.)?Core\.(Model|Parsing|Live|Analysis|Query|History)\b")]
    private static partial Regex CoreNamespace();
}
