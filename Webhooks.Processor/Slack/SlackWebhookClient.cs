using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Webhooks.Processor.Slack;

/// <summary>
/// Posts to a Slack incoming webhook, retrying a 5xx, a network error or a timeout with growing,
/// jittered delays and honouring a 429's <c>Retry-After</c>. It never throws for Slack's sake and
/// never logs the URL (a secret) or the response body.
/// </summary>
public sealed partial class SlackWebhookClient
{
    /// <summary>The named client: its request logging is removed because the URL is the secret.</summary>
    public const string HttpClientName = "slack";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly SlackOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SlackWebhookClient> _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Lock _gate = new();
    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;

    public SlackWebhookClient(
        IHttpClientFactory httpClientFactory, IOptions<SlackOptions> options, TimeProvider timeProvider, ILogger<SlackWebhookClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _pipeline = BuildPipeline(_options, timeProvider);
    }

    public async Task<bool> PostAsync(SlackMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Uri.TryCreate(_options.WebhookUrl, UriKind.Absolute, out var url))
        {
            return false;
        }

        var notBefore = NotBefore;
        if (_timeProvider.GetUtcNow() < notBefore)
        {
            LogStillLimited(notBefore);
            return false;
        }

        var json = message.ToJson();
        var client = _httpClientFactory.CreateClient(HttpClientName);
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                    return await client.SendAsync(request, token);
                },
                cancellationToken);

            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests && RetryAfter(response) is { } wait)
            {
                NotBefore = _timeProvider.GetUtcNow() + wait;
            }

            LogRefused((int)response.StatusCode);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException
                                   && !cancellationToken.IsCancellationRequested)
        {
            // Network errors name host and port at most; the path, which holds the secret, is scrubbed all the same.
            LogUnreachable(ex.GetType().Name, ex.Message.Replace(url.PathAndQuery, "/…", StringComparison.Ordinal));
            return false;
        }
    }

    private DateTimeOffset NotBefore
    {
        get
        {
            lock (_gate)
            {
                return _notBefore;
            }
        }

        set
        {
            lock (_gate)
            {
                _notBefore = value;
            }
        }
    }

    // On the injected clock: the delays and the timeout run on a fake one in tests.
    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(SlackOptions options, TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 0),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => (int)response.StatusCode >= 500
                        || (response.StatusCode == HttpStatusCode.TooManyRequests && (RetryAfter(response) ?? TimeSpan.Zero) <= options.MaxRetryAfter)),
                // Slack says how long to wait when it limits the rate; otherwise the exponential backoff applies.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited ? RetryAfter(limited) : null),
            })
            .AddTimeout(options.Timeout)
            .Build();

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date && response.Headers.Date is { } sent)
        {
            var wait = date - sent;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack answered {StatusCode}; the alert stays due and is posted on a later round")]
    private partial void LogRefused(int statusCode);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Slack could not be reached ({ExceptionType}: {Reason}); the alert stays due and is posted on a later round")]
    private partial void LogUnreachable(string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack asked to wait until {NotBefore:O}; the alert stays due")]
    private partial void LogStillLimited(DateTimeOffset notBefore);
}
