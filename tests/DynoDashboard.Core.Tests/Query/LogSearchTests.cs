using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Core.Tests.Query;

public sealed class LogSearchTests
{
    private static readonly LogLine[] s_newestFirst = [.. QueryCorpus.All.Reverse()];

    [Fact]
    public void Run_WithLimitAndSkip_ReturnsThatPageNewestFirstAndCountsAllMatches()
    {
        var query = LogQuery.Parse("dyno:web.2").Query!;

        var result = LogSearch.Run(s_newestFirst, query, from: null, to: null, limit: 2, skip: 1);

        // web.2 lines newest first: a3, e2, e1, rt2, rt1, r3, r2.
        Assert.Equal([QueryCorpus.ById("e2"), QueryCorpus.ById("e1")], result.Lines);
        Assert.Equal(7, result.Matched);
        Assert.Equal(QueryCorpus.Lines.Count, result.Scanned);
    }

    [Fact]
    public void Run_TimeWindow_IsInclusiveAtBothEnds()
    {
        var result = LogSearch.Run(s_newestFirst, LogQuery.All, QueryCorpus.T0.AddSeconds(4), QueryCorpus.T0.AddSeconds(6), limit: 100);

        Assert.Equal(["e2", "e1", "rt3", "rt2", "rt1"], result.Lines.Select(l => QueryCorpus.Lines.Single(c => c.Line == l).Id));
        Assert.Equal(5, result.Scanned);
    }
}
