using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.Parsing;

namespace DynoDashboard.Core.Tests.Live;

public sealed class LiveStoreAllocationTests
{
    [Fact]
    public void ApplyRouterInfoAndRuntimeLines_InSteadyState_AllocatesNothing()
    {
        var body = new LogplexBody();
        for (var i = 0; i < 100; i++)
        {
            var dyno = $"web.{(i % 4) + 1}";
            body.Line(LogplexBody.Syslog("heroku", "router",
                $"at=info method=GET path=\"/api/items?page={i}\" host=myapp.herokuapp.com request_id=8f1c2d3e-{i:0000} fwd=\"203.0.113.7\" dyno={dyno} connect=1ms service={i + 3}ms status=200 bytes=1234 protocol=https", pri: 158));
            body.Line(LogplexBody.Syslog("heroku", dyno,
                $"source={dyno} dyno=heroku.12345678.8d2b9c10-1f2a-4c3b-9d4e-5f6a7b8c9d0e sample#load_avg_1m=0.{i % 10} sample#load_avg_5m=0.06 sample#load_avg_15m=0.05", pri: 134));
        }

        var bytes = body.ToArray();
        var parser = new HerokuLogParser();
        var store = new LiveStore(new LiveStoreOptions { RecentLinesPerApp = 64 });
        var writer = store.GetWriter("myapp");
        parser.ParseLogplexBody(bytes, ref writer); // dynos, pool and buffers reach their steady size

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = parser.ParseLogplexBody(bytes, ref writer);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(100, result.RouterLines);
        Assert.Equal(100, result.RuntimeLines);
        Assert.Equal(0, allocated);
        Assert.Equal(64, store.GetRecentLines("myapp", int.MaxValue)!.Count);
    }
}
