using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DynoDashboard.Web.Ingestion.Demo;

namespace DynoDashboard.Web.Tests.Demo;

/// <summary>One frame of a logplex-1 body, read by the walker below.</summary>
public sealed record DrainFrame(
    int Pri,
    string Timestamp,
    DateTimeOffset Time,
    string AppName,
    string ProcId,
    string Message,
    int ByteCount,
    int CharCount);

/// <summary>
/// A strict RFC 6587 octet-counting walker, independent of the production parser (written in
/// parallel): it trusts the count alone, so a count off by one byte breaks the next frame.
/// </summary>
public static class DrainFrameWalker
{
    public static List<DrainFrame> Walk(byte[] body)
    {
        var frames = new List<DrainFrame>();
        var at = 0;
        while (at < body.Length)
        {
            var space = Array.IndexOf(body, (byte)' ', at);
            Assert.True(space > at, $"no octet count at byte {at}");
            var count = int.Parse(
                Encoding.ASCII.GetString(body, at, space - at), NumberStyles.None, CultureInfo.InvariantCulture);
            var start = space + 1;
            Assert.True(start + count <= body.Length, $"count {count} at byte {at} runs past the body");

            var message = body.AsSpan(start, count);
            Assert.Equal((byte)'\n', message[^1]);
            Assert.Equal(-1, message[..^1].IndexOf((byte)'\n'));
            frames.Add(Parse(Encoding.UTF8.GetString(message), count));
            at = start + count;
        }

        return frames;
    }

    private static DrainFrame Parse(string text, int byteCount)
    {
        // <PRI>1 TIMESTAMP host APP-NAME PROCID - MSG, no structured data.
        var parts = text[..^1].Split(' ', 7);
        Assert.Equal(7, parts.Length);
        Assert.Matches(@"^<\d{1,3}>1$", parts[0]);
        Assert.Equal("host", parts[2]);
        Assert.Equal("-", parts[5]);
        var pri = int.Parse(parts[0][1..^2], CultureInfo.InvariantCulture);
        var time = DateTimeOffset.ParseExact(
            parts[1], "yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
        return new DrainFrame(pri, parts[1], time, parts[3], parts[4], parts[6], byteCount, text.Length);
    }
}

/// <summary>The fleet after three simulated hours in one-minute steps, shared because it is the slow part.</summary>
public sealed class ThreeHourRun
{
    public ThreeHourRun()
    {
        var fleet = new DemoFleet(DemoFleetTests.Start);
        for (var minute = 0; minute < 180; minute++)
        {
            foreach (var body in fleet.Advance(TimeSpan.FromMinutes(1)))
            {
                Frames.AddRange(DrainFrameWalker.Walk(body));
            }
        }
    }

    public List<DrainFrame> Frames { get; } = [];
}

public sealed partial class DemoFleetTests(ThreeHourRun threeHours) : IClassFixture<ThreeHourRun>
{
    internal static readonly DateTimeOffset Start = new(2025, 8, 8, 6, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_dynos = ["web.1", "web.2", "web.3", "web.4", "worker.1"];
    private static readonly string[] s_healthyDynos = ["web.1", "web.3", "web.4", "worker.1"];

    [Fact]
    public void Advance_TenMinutes_EveryFrameCountIsUtf8BytesIncludingLf()
    {
        var fleet = new DemoFleet(Start);
        var frames = new List<DrainFrame>();
        var intervalStart = fleet.Now;
        for (var i = 0; i < 60; i++)
        {
            var bodies = fleet.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(bodies.Count, fleet.LastFrameCounts.Count);
            for (var b = 0; b < bodies.Count; b++)
            {
                var walked = DrainFrameWalker.Walk(bodies[b]);
                Assert.Equal(fleet.LastFrameCounts[b], walked.Count);
                Assert.All(walked, f => Assert.InRange(f.Time, intervalStart, fleet.Now.AddTicks(-1)));
                frames.AddRange(walked);
            }

            intervalStart = fleet.Now;
        }

        Assert.Equal(fleet.LinesProduced, frames.Count);
        Assert.All(frames, f => Assert.Matches(TimestampPattern(), f.Timestamp));

        // The en dash is 3 bytes in UTF-8: a walker counting chars would have failed above.
        var multibyte = frames.First(f => f.ByteCount != f.CharCount);
        Assert.Contains("–", multibyte.Message, StringComparison.Ordinal);
        Assert.Equal(multibyte.CharCount + 2, multibyte.ByteCount);
    }

    [Fact]
    public void Advance_OneHourAtOnce_SplitsIntoBodiesWithinLogplexTarget()
    {
        var fleet = new DemoFleet(Start);

        var bodies = fleet.Advance(TimeSpan.FromHours(1));

        Assert.True(bodies.Count > 10, $"only {bodies.Count} bodies");
        Assert.All(bodies, b => Assert.InRange(b.Length, 1, DemoFleet.TargetBodyBytes));
        Assert.Equal(fleet.LinesProduced, bodies.Sum(b => DrainFrameWalker.Walk(b).Count));
    }

    [Fact]
    public void Advance_FirstHalfHour_EveryDynoReportsLoadThenMemoryEvery20Seconds()
    {
        var fleet = new DemoFleet(Start);
        var frames = fleet.Advance(TimeSpan.FromMinutes(30)).SelectMany(DrainFrameWalker.Walk).ToList();

        foreach (var dyno in s_dynos)
        {
            var runtime = frames
                .Where(f => f.AppName == "heroku" && f.ProcId == dyno && f.Message.StartsWith("source=", StringComparison.Ordinal))
                .ToList();
            Assert.Equal(180, runtime.Count);

            for (var i = 0; i < runtime.Count; i += 2)
            {
                var load = runtime[i];
                var memory = runtime[i + 1];
                Assert.Equal(134, load.Pri);
                Assert.Matches(
                    $@"^source={Regex.Escape(dyno)} dyno=heroku\.\d{{9}}\.[0-9a-f]{{8}}-[0-9a-f]{{4}}-4[0-9a-f]{{3}}-[89ab][0-9a-f]{{3}}-[0-9a-f]{{12}} sample#load_avg_1m=\d+\.\d\d sample#load_avg_5m=\d+\.\d\d sample#load_avg_15m=\d+\.\d\d$",
                    load.Message);
                Assert.Matches(
                    $@"^source={Regex.Escape(dyno)} dyno=\S+ sample#memory_total=\d+\.\d\dMB sample#memory_rss=\d+\.\d\dMB sample#memory_cache=\d+\.\d\dMB sample#memory_swap=\d+\.\d\dMB sample#memory_pgpgin=\d+pages sample#memory_pgpgout=\d+pages sample#memory_quota=512\.00MB$",
                    memory.Message);
                Assert.Equal(load.Timestamp, memory.Timestamp);
                Assert.Equal(Field(load.Message, "dyno"), Field(memory.Message, "dyno"));
                if (i > 0)
                {
                    Assert.Equal(TimeSpan.FromSeconds(20), load.Time - runtime[i - 2].Time);
                    Assert.True(
                        Pages(memory, "memory_pgpgin") >= Pages(runtime[i - 1], "memory_pgpgin"),
                        "pgpgin is cumulative");
                }
            }
        }
    }

    [Theory]
    [InlineData(42)]
    [InlineData(7)]
    [InlineData(2025)]
    public void Advance_TwentyMinutes_Web2SwapsThenGetsR14AndRouterTimeouts(int seed)
    {
        var fleet = new DemoFleet(Start, seed);
        var frames = new List<DrainFrame>();
        for (var minute = 0; minute < 20; minute++)
        {
            frames.AddRange(fleet.Advance(TimeSpan.FromMinutes(1)).SelectMany(DrainFrameWalker.Walk));
        }

        Assert.NotNull(fleet.Web2SwapStartedAt);
        Assert.NotNull(fleet.Web2ErrorsStartedAt);
        Assert.InRange(fleet.Web2SwapStartedAt.Value, Start.AddMinutes(9), Start.AddMinutes(16));
        Assert.InRange(fleet.Web2ErrorsStartedAt.Value, fleet.Web2SwapStartedAt.Value, Start.AddMinutes(20));

        var web2Memory = MemoryLines(frames, "web.2").ToList();
        Assert.True(Megabytes(web2Memory[0], "memory_rss") < 400, "web.2 starts small");
        Assert.True(Megabytes(web2Memory[^1], "memory_swap") > 0, "web.2 ends up swapping");
        Assert.All(web2Memory.Where(f => f.Time < fleet.Web2SwapStartedAt), f => Assert.Equal(0, Megabytes(f, "memory_swap")));

        var web2Manager = frames.Where(f => f.AppName == "heroku" && f.ProcId == "web.2" && !f.Message.StartsWith("source=", StringComparison.Ordinal)).ToList();
        Assert.Contains(web2Manager, f => f.Message == "Error R14 (Memory quota exceeded)");
        Assert.Contains(web2Manager, f => MemoryRunningPattern().IsMatch(f.Message));

        var router = frames.Where(f => f.ProcId == "router").ToList();
        Assert.Contains(router, f => f.Message.StartsWith("at=error code=H12 desc=\"Request timeout\" ", StringComparison.Ordinal)
            && f.Message.Contains(" dyno=web.2 connect=", StringComparison.Ordinal)
            && f.Message.Contains(" service=30000ms status=503 bytes=0 ", StringComparison.Ordinal));
        Assert.Contains(router, f => f.Message.StartsWith("at=error code=H13 desc=\"Connection closed without response\" ", StringComparison.Ordinal)
            && f.Message.Contains(" dyno=web.2 ", StringComparison.Ordinal));

        // The swapping dyno's load stands out from the healthy ones.
        var lastLoads = s_dynos.ToDictionary(d => d, d => LoadLines(frames, d).Last());
        Assert.All(s_healthyDynos, d => Assert.True(
            Load(lastLoads["web.2"]) > Load(lastLoads[d]) + 0.5, $"web.2 load not above {d}"));
    }

    [Fact]
    public void Advance_ThreeHours_HealthyDynosNeverSwapNorTimeOut()
    {
        var frames = threeHours.Frames;

        foreach (var dyno in s_healthyDynos)
        {
            var memory = MemoryLines(frames, dyno).ToList();
            Assert.True(memory.Count > 500, $"{dyno} has only {memory.Count} samples");
            Assert.All(memory, f => Assert.Equal(0, Megabytes(f, "memory_swap")));
            Assert.All(memory, f => Assert.InRange(Megabytes(f, "memory_total"), 100, 450));
            Assert.DoesNotContain(frames, f => f.ProcId == dyno && f.Message.Contains("R14", StringComparison.Ordinal));
        }

        var timeouts = frames.Where(f => f.ProcId == "router" && (f.Message.Contains("code=H12", StringComparison.Ordinal)
            || f.Message.Contains("code=H13", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(timeouts);
        Assert.All(timeouts, f => Assert.Equal("web.2", Field(f.Message, "dyno")));
    }

    [Fact]
    public void Advance_ThreeHours_Web2StoryRepeatsAfterEachRestart()
    {
        var frames = threeHours.Frames;

        var restarts = frames.Where(f => f.ProcId == "web.2" && f.Message == "Restarting").Select(f => f.Time).ToList();
        Assert.InRange(restarts.Count, 3, 5);

        // Each leak cycle (boot to restart) reaches swap and R14 again.
        var cycleStarts = new[] { Start }.Concat(restarts).ToList();
        for (var i = 0; i < restarts.Count; i++)
        {
            var cycle = frames.Where(f => f.Time >= cycleStarts[i] && f.Time < restarts[i]).ToList();
            Assert.Contains(MemoryLines(cycle, "web.2"), f => Megabytes(f, "memory_swap") > 0);
            Assert.Contains(cycle, f => f.ProcId == "web.2" && f.Message == "Error R14 (Memory quota exceeded)");
        }
    }

    [Fact]
    public void Advance_ThreeHours_EachRestartRunsLifecycleAndGivesNewIncarnation()
    {
        var frames = threeHours.Frames;
        string[] lifecycle =
        [
            "Restarting",
            "State changed from up to starting",
            "Stopping all processes with SIGTERM",
            "Process exited with status 143",
            "Starting process with command `bundle exec",
            "State changed from starting to up",
        ];

        var restarted = frames.Where(f => f.AppName == "heroku" && f.Message == "Restarting").ToList();
        Assert.Contains(restarted, f => f.ProcId != "web.2");

        foreach (var restart in restarted)
        {
            var dynoManager = frames
                .Where(f => f.AppName == "heroku" && f.ProcId == restart.ProcId && f.Time >= restart.Time
                    && !f.Message.StartsWith("source=", StringComparison.Ordinal))
                .Take(lifecycle.Length)
                .Select(f => f.Message)
                .ToList();
            Assert.Equal(lifecycle.Length, dynoManager.Count);
            Assert.All(lifecycle.Zip(dynoManager), p => Assert.StartsWith(p.First, p.Second, StringComparison.Ordinal));

            var samples = LoadLines(frames, restart.ProcId).ToList();
            var before = samples.Last(f => f.Time < restart.Time);
            var after = samples.First(f => f.Time > restart.Time);
            Assert.NotEqual(Field(before.Message, "dyno"), Field(after.Message, "dyno"));
            Assert.Equal(AppId(Field(before.Message, "dyno")), AppId(Field(after.Message, "dyno")));

            // A new incarnation is a new process: its memory starts small and unswapped.
            var memoryBefore = MemoryLines(frames, restart.ProcId).Last(f => f.Time < restart.Time);
            var memoryAfter = MemoryLines(frames, restart.ProcId).First(f => f.Time > restart.Time);
            Assert.True(Megabytes(memoryAfter, "memory_total") < Megabytes(memoryBefore, "memory_total") - 50,
                $"{restart.ProcId} memory did not reset at {restart.Timestamp}");
            Assert.Equal(0, Megabytes(memoryAfter, "memory_swap"));
        }
    }

    [Fact]
    public void Advance_ThreeHours_RouterAndAppLinesLookLikeHeroku()
    {
        var frames = threeHours.Frames;
        var router = frames.Where(f => f.ProcId == "router").ToList();

        Assert.All(router, f =>
        {
            Assert.Equal(158, f.Pri);
            Assert.Equal("heroku", f.AppName);
            Assert.Matches(RouterPattern(), f.Message);
        });
        Assert.Contains(router, f => f.Message.Contains("path=\"/collections/Summer Sale/items\"", StringComparison.Ordinal));
        Assert.Contains(router, f => f.Message.Contains("?q=", StringComparison.Ordinal));
        Assert.Contains(router, f => Field(f.Message, "status") == "302");
        Assert.Contains(router, f => Field(f.Message, "status") == "304");
        Assert.Contains(router, f => Field(f.Message, "status") == "404");

        // The healthy fleet is mostly 2xx/3xx: 5xx stays rare.
        var healthy = router.Where(f => Field(f.Message, "dyno") != "web.2").ToList();
        var serverErrors = healthy.Count(f => Field(f.Message, "status").StartsWith('5'));
        Assert.True(serverErrors < healthy.Count / 500, $"{serverErrors} 5xx in {healthy.Count} requests");

        var app = frames.Where(f => f.AppName == "app" && f.ProcId.StartsWith("web.", StringComparison.Ordinal)).ToList();
        Assert.All(app, f => Assert.Equal(190, f.Pri));
        Assert.Contains(app, f => f.Message.StartsWith("method=GET path=/products format=html controller=ProductsController action=index status=200 duration=", StringComparison.Ordinal));
        Assert.Contains(app, f => !f.Message.Contains('=', StringComparison.Ordinal));
        Assert.Contains(frames, f => f.ProcId == "worker.1" && f.Message.EndsWith(" INFO: done", StringComparison.Ordinal));
        Assert.Contains(frames, f => f.AppName == "app" && f.ProcId == "api" && f.Pri == 133
            && ReleasePattern().IsMatch(f.Message));
    }

    [Fact]
    public void Advance_SameSeed_ProducesSameBytes()
    {
        var first = new DemoFleet(Start, seed: 7);
        var second = new DemoFleet(Start, seed: 7);
        var other = new DemoFleet(Start, seed: 8);

        for (var i = 0; i < 200; i++)
        {
            var step = TimeSpan.FromSeconds(7);
            var expected = first.Advance(step);
            Assert.Equal(expected, second.Advance(step));
            if (i == 0)
            {
                Assert.NotEqual(Concat(expected), Concat(other.Advance(step)));
            }
        }
    }

    [Fact]
    public void Advance_DifferentStepSizes_ProducesSameLines()
    {
        var fine = new DemoFleet(Start);
        var coarse = new DemoFleet(Start);

        var fineBytes = Concat(Enumerable.Range(0, 600).SelectMany(_ => fine.Advance(TimeSpan.FromSeconds(1))).ToList());
        var coarseBytes = Concat(coarse.Advance(TimeSpan.FromMinutes(10)));

        // Bodies are cut differently, but their frames joined are the same byte stream.
        Assert.Equal(coarseBytes, fineBytes);
        Assert.Equal(coarse.Now, fine.Now);
    }

    [Fact]
    public void Advance_ZeroStep_ReturnsNoBodies()
    {
        var fleet = new DemoFleet(Start);

        Assert.Empty(fleet.Advance(TimeSpan.Zero));
        Assert.Equal(Start, fleet.Now);
    }

    [Fact]
    public void Advance_NegativeStep_Throws()
    {
        var fleet = new DemoFleet(Start);

        Assert.Throws<ArgumentOutOfRangeException>(() => fleet.Advance(TimeSpan.FromSeconds(-1)));
    }

    private static IEnumerable<DrainFrame> LoadLines(IEnumerable<DrainFrame> frames, string dyno) =>
        frames.Where(f => f.ProcId == dyno && f.Message.Contains(" sample#load_avg_1m=", StringComparison.Ordinal));

    private static IEnumerable<DrainFrame> MemoryLines(IEnumerable<DrainFrame> frames, string dyno) =>
        frames.Where(f => f.ProcId == dyno && f.Message.Contains(" sample#memory_total=", StringComparison.Ordinal));

    private static string Field(string message, string key)
    {
        var match = Regex.Match(message, $@"(?:^| ){Regex.Escape(key)}=(\S*)");
        Assert.True(match.Success, $"no {key}= in {message}");
        return match.Groups[1].Value;
    }

    private static double Megabytes(DrainFrame frame, string metric) =>
        double.Parse(Field(frame.Message, "sample#" + metric).TrimEnd('B', 'M'), CultureInfo.InvariantCulture);

    private static long Pages(DrainFrame frame, string metric) =>
        long.Parse(Field(frame.Message, "sample#" + metric).Replace("pages", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static double Load(DrainFrame frame) =>
        double.Parse(Field(frame.Message, "sample#load_avg_1m"), CultureInfo.InvariantCulture);

    private static string AppId(string incarnation) => incarnation.Split('.')[1];

    private static byte[] Concat(IReadOnlyList<byte[]> bodies) => [.. bodies.SelectMany(b => b)];

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"^Process running mem=\d+M\(\d+\.\d%\)$")]
    private static partial Regex MemoryRunningPattern();

    [GeneratedRegex(@"^(sock=backend )?at=(info|error code=H\d\d desc=""[^""]+"") method=(GET|POST) path=""[^""]+"" host=demo\.herokuapp\.com request_id=[0-9a-f-]{36} fwd=""[\d.]+"" dyno=web\.[1-4] connect=\d+ms service=(\d+ms)? status=\d{3} bytes=\d* protocol=https$")]
    private static partial Regex RouterPattern();

    [GeneratedRegex(@"^(Release v\d+ created|Deploy [0-9a-f]{7}) by user demo@example\.com$")]
    private static partial Regex ReleasePattern();
}
