using System.Globalization;
using System.Net.Http.Json;
using System.Threading.Channels;
using DynoDashboard.Core.Analysis;
using Microsoft.Extensions.Options;

namespace DynoDashboard.Web.Alerts;

/// <summary>
/// Sends alert transitions to the configured webhooks from its own queue, so a slow or failing endpoint
/// never holds up ingestion or evaluation. A failing endpoint is retried with exponential backoff; when the
/// queue is full the oldest notification is dropped and counted.
/// </summary>
public sealed partial class AlertNotifier : BackgroundService
{
    private readonly Channel<AlertTransition> _queue;
    private readonly HttpClient _http;
    private readonly IOptions<AlertOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertNotifier> _logger;
    private long _sent;
    private long _failed;
    private long _dropped;

    public AlertNotifier(HttpClient http, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertNotifier> logger)
    {
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<AlertTransition>(
            new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public long Sent => Volatile.Read(ref _sent);

    public long Failed => Volatile.Read(ref _failed);

    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Queues a transition for every webhook; never waits.</summary>
    public void Enqueue(AlertTransition transition) => _queue.Writer.TryWrite(transition);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var transition in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var target in _options.Value.Webhooks)
                {
                    await DeliverAsync(target, transition, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task DeliverAsync(WebhookTarget target, AlertTransition transition, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMs);
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            int? status = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                using var response = await _http.PostAsJsonAsync(target.Url, Payload(target.Format, transition), timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _sent);
                    return;
                }

                status = (int)response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Retried below.
            }

            // Only the host is logged: webhook URLs (Slack's above all) carry their secret in the path.
            LogAttemptFailed(_logger, target.Url?.Host ?? "?", attempt, status);
            if (attempt < options.MaxAttempts)
            {
                await Task.Delay(delay, _time, cancellationToken);
                delay *= 2;
            }
        }

        Interlocked.Increment(ref _failed);
    }

    internal static object Payload(WebhookFormat format, AlertTransition t)
    {
        var what = t.Dyno is null ? t.App : $"{t.App} {t.Dyno}";
        return format == WebhookFormat.Slack
            ? new { text = string.Create(CultureInfo.InvariantCulture, $"{(t.State == AlertState.Firing ? ":rotating_light: FIRING" : ":white_check_mark: RESOLVED")} {t.Rule} on {what}: {t.Summary}") }
            : new { rule = t.Rule, app = t.App, dyno = t.Dyno, state = t.State.ToString().ToLowerInvariant(), at = t.At, summary = t.Summary, value = t.Value };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook to {Host} failed (attempt {Attempt}, status {Status})")]
    private static partial void LogAttemptFailed(ILogger logger, string host, int attempt, int? status);
}
