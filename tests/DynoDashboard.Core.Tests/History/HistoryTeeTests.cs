using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.History;

/// <summary>
/// A router error teed to history and the live store becomes one event that both keep (one message string, not
/// two), equal to what the live store makes on its own, also while ingestion sheds plain lines.
/// </summary>
public sealed class HistoryTeeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OnRouterRequest_RouterError_LiveStoreKeepsTheEventHistoryStores(bool shedding)
    {
        var live = new LiveStore(new LiveStoreOptions());
        var alone = new LiveStore(new LiveStoreOptions());
        var tee = new HistoryTee();
        var sink = tee.Begin("app", live.GetWriter("app", shedding), shedding);

        TestLines.Router(sink, TestLines.T0, "web.1", status: 503, service: 30_000, code: TestLines.H12);
        TestLines.Router(sink, TestLines.T0, "web.1");
        TestLines.Router(alone.GetWriter("app", shedding), TestLines.T0, "web.1", status: 503, service: 30_000, code: TestLines.H12);
        var batch = tee.End();

        var stored = Assert.Single(batch.Events);
        var kept = Assert.Single(live.GetEvents("app", null, null, 10)!);
        Assert.Same(stored, kept);
        Assert.Equal(Assert.Single(alone.GetEvents("app", null, null, 10)!), kept);
        Assert.Equal(2, batch.Requests.Count);
        Assert.Equal(shedding ? 1 : 0, tee.ShedRouterLines);
    }
}
