using DynoDashboard.Core.Analysis;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Web.Ingestion.Demo;
using Xunit.Abstractions;

namespace DynoDashboard.Web.Tests.Analysis;

/// <summary>
/// The web.2 story end to end at simulated speed: the demo fleet's Logplex bodies go through the real parser
/// into the real live store, and the insight board is evaluated every 10 simulated seconds, as the dashboard does.
/// </summary>
public sealed class DemoFleetInsightTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_step = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(42)]
    [InlineData(7)]
    [InlineData(2025)]
    public void DemoFleet_Web2IsFlaggedWithinThreeMinutesOfItsErrors_AndNoHealthyDynoEverIs(int seed)
    {
        var start = TestTime.At(9);
        var fleet = new DemoFleet(start, seed);
        var store = new LiveStore(new LiveStoreOptions());
        var parser = new HerokuLogParser();
        var board = new InsightBoard();
        DateTimeOffset? errorsStarted = null;
        DateTimeOffset? web2Flagged = null;
        var wronglyFlagged = new List<string>();

        // Three simulated hours: web.2's leak, its errors, its restart and the next cycle.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(3); elapsed += s_step)
        {
            foreach (var body in fleet.Advance(s_step))
            {
                var sink = store.GetWriter("demo");
                parser.ParseLogplexBody(body, ref sink);
            }

            errorsStarted ??= fleet.Web2ErrorsStartedAt;
            var (now, signals) = DynoSignals.Read(store, "demo", TimeSpan.FromMinutes(5))!.Value;
            foreach (var insight in board.Evaluate("demo", now, signals))
            {
                if (insight.Dyno == new DynoName("web.2"))
                {
                    web2Flagged ??= now;
                }
                else
                {
                    wronglyFlagged.Add($"{now:HH:mm} {insight.Summary}");
                }
            }
        }

        output.WriteLine($"errors started {errorsStarted:HH:mm:ss}, web.2 flagged {web2Flagged:HH:mm:ss}");
        Assert.NotNull(errorsStarted);
        Assert.NotNull(web2Flagged);
        Assert.True(web2Flagged - errorsStarted <= TimeSpan.FromMinutes(3),
            $"web.2 flagged {web2Flagged - errorsStarted} after its first error");
        Assert.Empty(wronglyFlagged);
    }
}
