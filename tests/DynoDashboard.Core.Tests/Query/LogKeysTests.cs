using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Core.Tests.Query;

public sealed class LogKeysTests
{
    [Fact]
    public void Collect_Corpus_MostFrequentKeysFirstWithCodeFromErrorLines()
    {
        var keys = LogKeys.Collect(QueryCorpus.All, max: 6);

        // dyno: 4 router + 3 runtime; code: r3, r4 (code=) + e1, l10 (Error …); then the router keys (4 each) by name.
        Assert.Equal(
            [new("dyno", 7), new("at", 4), new("bytes", 4), new("code", 4), new("connect", 4), new("fwd", 4)],
            keys);
    }

    [Fact]
    public void Collect_ManyDistinctKeys_StaysBounded()
    {
        var lines = Enumerable.Range(0, LogKeys.MaxTracked + 500).Select(i =>
            new LogLine(QueryCorpus.T0, "app", "web.1", new DynoName("web.1"), LineKind.App, $"k{i}=1 common=2"));

        var keys = LogKeys.Collect(lines, max: int.MaxValue);

        Assert.Equal(LogKeys.MaxTracked, keys.Count);
        Assert.Equal(new LogKeyCount("common", LogKeys.MaxTracked + 500), keys[0]);
    }

    [Fact]
    public void Read_RouterAndEventLines_GivesUnquotedPairsAndTheCode()
    {
        var router = LogLineFields.Read(QueryCorpus.ById("r4"));
        var r14 = LogLineFields.Read(QueryCorpus.ById("e1"));

        Assert.Contains(new KeyValuePair<string, string>("path", "/api/Schlachter 1951/books"), router);
        Assert.Contains(new KeyValuePair<string, string>("code", "H13"), router);
        Assert.Equal([new KeyValuePair<string, string>("code", "R14")], r14);
    }
}
