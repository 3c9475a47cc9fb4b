using DynoDashboard.Core.Model;
using DynoDashboard.Core.Query;

namespace DynoDashboard.Core.Tests.Query;

public sealed class LogGroupsTests
{
    private static readonly DateTimeOffset s_t0 = QueryCorpus.T0;

    [Fact]
    public void Compute_ServiceByDyno_CountsAverageAndNearestRankP95()
    {
        // web.1: service 10, 20, …, 200 ms (20 values) and one runtime line without service.
        // avg = 105; p95 = the ⌈0.95·20⌉ = 19th smallest = 190; max = 200.
        // web.2: 100 ms and 30 s. avg = 15050; p95 = the ⌈1.9⌉ = 2nd = 30000.
        var lines = Enumerable.Range(1, 20).Select(i => Router("web.1", i * 10))
            .Append(new LogLine(s_t0, "heroku", "web.1", new DynoName("web.1"), LineKind.Runtime, "source=web.1 sample#load_avg_1m=0.10"))
            .Append(Router("web.2", 100))
            .Append(Router("web.2", 30_000));

        var report = LogGroups.Compute(lines, "dyno", "service");

        Assert.Equal("ms", report.Unit);
        Assert.Equal(23, report.Lines);
        Assert.Equal(
            [new LogGroup("web.1", 21, 20, 105, 190, 200), new LogGroup("web.2", 2, 2, 15_050, 30_000, 30_000)],
            report.Groups);
    }

    [Fact]
    public void Compute_ByCode_GroupsRouterAndEventCodesAndLinesWithoutOne()
    {
        var report = LogGroups.Compute(QueryCorpus.All, "code");

        Assert.Null(report.Unit);
        Assert.Equal(
            [("(none)", 11), ("H12", 1), ("H13", 1), ("L10", 1), ("R14", 1)],
            report.Groups.Select(g => (g.Key, g.Count)));
        Assert.All(report.Groups, g => Assert.Null(g.Average));
    }

    [Fact]
    public void Compute_SwapByDyno_ReportsMegabytes()
    {
        var report = LogGroups.Compute(QueryCorpus.All.Where(l => l.Kind == LineKind.Runtime), "dyno", "sample#memory_swap");

        Assert.Equal("MB", report.Unit);
        Assert.Equal([("web.2", 2, 1, 105.0), ("web.1", 1, 1, 0.0)], report.Groups.Select(g => (g.Key, g.Count, g.ValueCount, g.Average!.Value)));
    }

    [Fact]
    public void Compute_ValuesInMixedTimeUnits_ConvertsToMilliseconds()
    {
        // a1 has duration=12ms, a3 duration=2.5s: (12 + 2500) / 2 = 1256 ms.
        var report = LogGroups.Compute(QueryCorpus.All.Where(l => l.Kind == LineKind.App), "kind", "duration");

        var group = Assert.Single(report.Groups);
        Assert.Equal(("app", 3, 2, 1256.0, 2500.0), (group.Key, group.Count, group.ValueCount, group.Average!.Value, group.P95!.Value));
    }

    [Fact]
    public void Compute_MoreKeysThanTheLimit_CountsTheRestAsOther()
    {
        var lines = new[] { "/a", "/a", "/b", "/c", "/d" }.Select(p => Router("web.1", 5, p));

        var report = LogGroups.Compute(lines, "path", maxGroups: 2);

        Assert.Equal([("/a", 2), ("/b", 1), ("(other)", 2)], report.Groups.Select(g => (g.Key, g.Count)));
    }

    [Fact]
    public void Compute_ByLogfmtKeyAndByKind_UseTheSameNamesAsTheFilterLanguage()
    {
        var byStatus = LogGroups.Compute(QueryCorpus.All.Where(l => l.Kind == LineKind.Router), "status");
        var byKind = LogGroups.Compute(QueryCorpus.All, "kind");

        Assert.Equal([("503", 2), ("200", 1), ("201", 1)], byStatus.Groups.Select(g => (g.Key, g.Count)));
        Assert.Equal([("event", 5), ("router", 4), ("app", 3), ("runtime", 3)], byKind.Groups.Select(g => (g.Key, g.Count)));
    }

    private static LogLine Router(string dyno, int serviceMs, string path = "/") => new(s_t0, "heroku", "router", new DynoName(dyno), LineKind.Router,
        $"at=info method=GET path=\"{path}\" host=myapp.herokuapp.com dyno={dyno} connect=1ms service={serviceMs}ms status=200 bytes=10 protocol=https");
}
