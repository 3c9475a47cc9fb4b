using DynoDashboard.Core.History;

namespace DynoDashboard.Web.Configuration;

/// <summary>The drain endpoint (<c>Ingest</c> section).</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>
    /// The ingest key: the password of the drain URL's Basic auth (<c>https://user:KEY@host/drain/app</c>)
    /// or <c>?key=</c>. When empty, a key is generated at first start and kept in the data folder.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// Per-app settings by Heroku app name (<c>Ingest:Apps:{app}:Key</c>). An app with its own key accepts only that
    /// key, not the global one, so that key can be handed out and rotated for one app without opening the others.
    /// </summary>
    public Dictionary<string, IngestAppOptions> Apps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The public base URL Heroku reaches this dashboard at (<c>https://dyno.example.com</c>), used in the
    /// <c>heroku drains:add</c> command printed at start. Defaults to the first address the server listens on.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Largest accepted drain body. Logplex batches to about 100 KiB, so 1 MiB leaves room for imports.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Batches waiting for the ingestion service. 256 × ~100 KiB Logplex bodies ≈ 25 MiB at most; past it the
    /// drain answers 503 and Logplex retries.
    /// </summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Recent <c>Logplex-Frame-Id</c>s remembered per app to drop retried batches. Logplex retries within
    /// seconds; 4,096 ids cover minutes of a busy drain.</summary>
    public int RecentFrameIdsPerApp { get; set; } = 4096;

    /// <summary>
    /// Queue fill (percent of <see cref="QueueCapacity"/>) at which ingestion starts shedding: plain router and app
    /// lines skip the recent-lines buffer and history (counted in <c>/api/status</c>), while samples, events, router
    /// errors and every rollup count are applied in full. Shedding stops once the queue is back under half this mark.
    /// 0 sheds always (for tests and measurements); 100 only when the queue is full.
    /// </summary>
    public int ShedAtQueuePercent { get; set; } = 75;

    /// <summary>
    /// Drain bodies parsed at once, ahead of the one thread that applies them in drain order. Parsing is about half of
    /// ingestion's work per line, so a busy drain gains from more than one core. 0 (the default) means one per
    /// processor; 1 parses on the applying thread itself, as before.
    /// </summary>
    public int ParseWorkers { get; set; }

    /// <summary>Seconds a client is told to wait in <c>Retry-After</c> when the queue is full.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>
    /// Maps <c>POST /drain-bare/{app}</c>, which reads the body to the end and answers 204: the load generator's
    /// baseline (docs/perf.md). Off by default; never turn it on in production (it takes any body, unauthenticated).
    /// </summary>
    public bool BareEndpointForBenchmarks { get; set; }
}

/// <summary>One app's drain settings (<c>Ingest:Apps:{app}</c>).</summary>
public sealed class IngestAppOptions
{
    /// <summary>This app's own ingest key; when set, the global <c>Ingest:Key</c> no longer opens its drain.</summary>
    public string? Key { get; set; }
}

/// <summary>Where DynoDashboard keeps its files (<c>Storage</c> section).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Where history is kept: <see cref="HistoryProvider.LiteDb"/> (one file in the data folder) or
    /// <see cref="HistoryProvider.Postgres"/> (<see cref="Postgres"/>). Unset: Postgres when only <c>DATABASE_URL</c>
    /// is configured (Heroku Postgres), LiteDB otherwise.</summary>
    public HistoryProvider? Provider { get; set; }

    /// <summary>An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>) for
    /// <see cref="HistoryProvider.Postgres"/>; when empty, <c>DATABASE_URL</c> is used. Its password is never logged
    /// or shown.</summary>
    public string? Postgres { get; set; }

    /// <summary>The <c>DATABASE_URL</c> environment variable (Heroku's <c>postgres://</c> form), read from the
    /// configuration root, not from this section.</summary>
    public string? DatabaseUrl { get; set; }

    /// <summary>The store history is kept in, from <see cref="Provider"/>, <see cref="Postgres"/> and
    /// <see cref="DatabaseUrl"/>.</summary>
    public HistoryProvider EffectiveProvider => Provider ??
        (string.IsNullOrWhiteSpace(Postgres) && !string.IsNullOrWhiteSpace(DatabaseUrl) ? HistoryProvider.Postgres : HistoryProvider.LiteDb);

    /// <summary>The Npgsql connection string: <see cref="Postgres"/>, else <see cref="DatabaseUrl"/> converted.</summary>
    /// <exception cref="FormatException">DATABASE_URL is not a postgres:// URL (the message holds no password).</exception>
    public string PostgresConnectionString() => !string.IsNullOrWhiteSpace(Postgres)
        ? Postgres
        : global::DynoDashboard.Postgres.DatabaseUrl.ToConnectionString(DatabaseUrl ?? string.Empty);

    /// <summary>The LiteDB file. Relative paths are under the content root. The generated ingest key lives beside it.</summary>
    public string Path { get; set; } = "data/dynodash.db";

    /// <summary>Free space the data folder's filesystem must keep. Below it the drain refuses new batches with 503
    /// (Logplex keeps them) while history goes on writing what was already acknowledged, so a filling disk never
    /// makes the app lie with a 204; it resumes by itself when space returns. 0 turns the floor off.</summary>
    public long MinFreeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How often free space is checked against <see cref="MinFreeBytes"/> (also at once after a failed
    /// journal append).</summary>
    public TimeSpan FreeSpaceCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the history writer gathers batches before one transaction: few, large commits suit LiteDB.
    /// Also how often the drain journal is synced to disk, when <see cref="JournalSyncToDisk"/> is on.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Facts (samples, requests, events, lines) that make the writer commit before the interval is up.
    /// 20,000 ≈ 4 s of a 5,000-line/s drain: a bound on one transaction's size.</summary>
    public int FlushFacts { get; set; } = 20_000;

    /// <summary>Drain batches waiting for the history writer. 4,096 batches of a few hundred lines ≈ tens of MB at
    /// most. When full, ingestion waits for the writer (samples, router facts and events are never dropped); app lines
    /// have a queue of the same size of their own and are dropped from history (not from the live view) when it is
    /// full, counted in <c>/api/status</c>.</summary>
    public int QueueCapacity { get; set; } = 4_096;

    /// <summary>Facts waiting for the history writer, at most: 200,000 ≈ 40 s of a 5,000-line/s drain and ≈ 30 MB.
    /// The real bound on the queue's memory, since one batch may hold thousands of lines.</summary>
    public int QueueFacts { get; set; } = 200_000;

    /// <summary>Days of history kept for apps without their own <c>Storage:Apps:{app}:RetentionDays</c>; older
    /// documents are deleted at start-up and then hourly.</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>Stored log lines (app output, raw lines) kept per app, for apps without their own
    /// <c>Storage:Apps:{app}:MaxLogLines</c>: ~100,000 × ~250 B ≈ 25 MB of the file per app. Each app's own budget, so
    /// a busy app cannot evict a quiet one's lines.</summary>
    public int MaxLogLinesPerApp { get; set; } = 100_000;

    /// <summary>Stored log lines kept at most in the whole file (≈ 250 MB): a disk bound over all apps. When reached,
    /// the app holding the most lines gives its oldest first, down to an equal share.</summary>
    public int MaxLogLines { get; set; } = 1_000_000;

    /// <summary>Per-app retention and line caps by Heroku app name (<c>Storage:Apps:{app}:RetentionDays</c>,
    /// <c>:MaxLogLines</c>).</summary>
    public Dictionary<string, StorageAppOptions> Apps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Disk the drain journal (<c>journal/</c> beside the database) may use: accepted bodies not yet in history, so a
    /// crash loses nothing the drain answered 204 to. 256 MiB ≈ 2,600 bodies of 100 KiB, minutes of a busy drain;
    /// when full (history behind or failing) new batches are refused with 503 until history catches up. 0 turns the
    /// journal off (a 204 then only means queued in memory).
    /// </summary>
    public long JournalMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Size of one journal file; whole files are deleted once history has everything in them.</summary>
    public long JournalSegmentBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Sync the journal to disk every <see cref="FlushInterval"/>, so a power cut or kernel crash (not only a
    /// killed process) loses at most that. Off by default: it writes every body to disk, which under a flood slows
    /// history's commits; without it the kernel usually never writes a segment before history has it and it is deleted.</summary>
    public bool JournalSyncToDisk { get; set; }

    /// <summary>The history store's budgets from these settings.</summary>
    public HistoryBudgets Budgets() => new()
    {
        RetentionDays = RetentionDays,
        MaxLogLinesPerApp = MaxLogLinesPerApp,
        MaxLogLines = MaxLogLines,
        Apps = Apps.ToDictionary(a => a.Key, a => new AppHistoryBudget(a.Value.RetentionDays, a.Value.MaxLogLines), StringComparer.Ordinal),
    };
}

/// <summary>The history stores there are (<c>Storage:Provider</c>).</summary>
public enum HistoryProvider
{
    /// <summary>One LiteDB file in the data folder: the default, nothing else to install.</summary>
    LiteDb,

    /// <summary>A PostgreSQL database (<c>Storage:Postgres</c> or <c>DATABASE_URL</c>).</summary>
    Postgres,
}

/// <summary>One app's history budget (<c>Storage:Apps:{app}</c>); unset values keep the defaults.</summary>
public sealed class StorageAppOptions
{
    /// <summary>Days of this app's history kept, instead of <c>Storage:RetentionDays</c>.</summary>
    public int? RetentionDays { get; set; }

    /// <summary>This app's stored log lines kept at most, instead of <c>Storage:MaxLogLinesPerApp</c> (never above
    /// <c>Storage:MaxLogLines</c>).</summary>
    public int? MaxLogLines { get; set; }
}

/// <summary>The built-in demo fleet (<c>Demo</c> section; <c>--demo</c> on the command line turns it on).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Enabled { get; set; }

    /// <summary>The app name the demo fleet logs as.</summary>
    public string App { get; set; } = "demo";

    /// <summary>Simulated seconds per real second. 1 is real time; 60 shows an hour of the story in a minute.</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Minutes of history simulated at start, so the dashboard is not empty when first opened.</summary>
    public double BackfillMinutes { get; set; } = 20;
}
