namespace DynoDashboard.Core.Tests.Parsing;

/// <summary>Reads test bodies from Fixtures/ (copied to the output directory).</summary>
internal static class Fixture
{
    public static byte[] Bytes(string relativePath) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath));
}
