using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Stripe;

namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>
/// Stripe's API through Stripe.net's <see cref="StripeClient"/> on <c>Reconciliation__Stripe__ApiBase</c>:
/// the events it did not deliver (<c>delivery_success=false</c>, paged with <c>has_more</c> and
/// <c>starting_after</c>) and a payment intent's status. Every call runs in a Polly pipeline on the
/// injected clock: a time-out per try, and 429 (after its <c>Retry-After</c>), 5xx, time-outs and network
/// failures tried again with growing, jittered delays; 401, 403 and other refusals fail at once. A call
/// that fails for good is a <see cref="GatewayException"/> in one sentence. The key is a secret: it is
/// given to Stripe.net only, and every text that comes back from the API is redacted before it is used.
/// </summary>
public sealed partial class StripeGateway : IDisposable
{
    public const int PageSize = 100;

    /// <summary>Longest wait for one answer before the try counts as a time-out.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Tries after the first, for a 429, a 5xx, a time-out or a network failure.</summary>
    public const int MaxRetries = 3;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    // A Retry-After longer than this is not waited for within one pass: the next pass comes anyway.
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    private readonly ReconciliationOptions _options;
    private readonly ReconciliationTelemetry _telemetry;
    private readonly ILogger<StripeGateway> _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly Lazy<(HttpClient Http, StripeClient Client)> _client;

    public StripeGateway(IOptions<ReconciliationOptions> options, TimeProvider clock, ReconciliationTelemetry telemetry, ILogger<StripeGateway> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _telemetry = telemetry;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstRetryDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && GatewayFailureKind.IsTransient(KindOf(ex))),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Exception, clock.GetUtcNow())),
                OnRetry = args =>
                {
                    LogRetry(KindOf(args.Outcome.Exception!), args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(CallTimeout)
            .Build();
        _client = new Lazy<(HttpClient, StripeClient)>(CreateClient);
    }

    /// <summary>Whether reconciliation is on: <c>Reconciliation__Stripe__ApiKey</c> is set.</summary>
    public bool IsEnabled => _options.Enabled;

    /// <summary>
    /// Every event the gateway did not deliver, created at <paramref name="since"/> or later, page by page
    /// (newest first, as the API lists them): <paramref name="onPage"/> gets each page as it comes.
    /// </summary>
    public async Task ListUndeliveredAsync(DateTimeOffset since, Func<IReadOnlyList<GatewayEvent>, Task> onPage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onPage);
        var service = new EventService(Client);
        string? after = null;
        do
        {
            var options = new EventListOptions
            {
                DeliverySuccess = false,
                Created = new DateRangeOptions { GreaterThanOrEqual = since.UtcDateTime },
                Limit = PageSize,
                StartingAfter = after,
            };
            var page = await CallAsync("the list of undelivered events", token => service.ListAsync(options, null, token), cancellationToken);
            var events = Read(page);
            await onPage(events);
            after = page.HasMore && events.Count > 0 ? events[^1].Id : null;
        }
        while (after is not null);
    }

    /// <summary>The gateway's status of the payment intent (<c>requires_payment_method</c>, <c>succeeded</c>, ...).</summary>
    public async Task<string> PaymentIntentStatusAsync(string paymentIntentId, CancellationToken cancellationToken)
    {
        var service = new PaymentIntentService(Client);
        var intent = await CallAsync($"payment intent {paymentIntentId}", token => service.GetAsync(paymentIntentId, null, null, token), cancellationToken);
        return intent.Status ?? "unknown";
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Http.Dispose();
        }
    }

    private StripeClient Client => IsEnabled
        ? _client.Value.Client
        : throw new GatewayException(GatewayFailureKind.Unauthorized, "Reconciliation is off: Reconciliation__Stripe__ApiKey is not set.");

    private (HttpClient, StripeClient) CreateClient()
    {
        // The pipeline's time-out bounds each try; HttpClient's own would end a try before Polly could tell.
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        // Stripe.net's own retries are off: Polly retries, on the injected clock, and counts each failure.
        var client = new StripeClient(
            apiKey: _options.Stripe.ApiKey,
            httpClient: new SystemNetHttpClient(http, maxNetworkRetries: 0),
            apiBase: _options.Stripe.ApiBase.TrimEnd('/'));
        return (http, client);
    }

    private async Task<T> CallAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var tries = 0;
        try
        {
            return await _pipeline.ExecuteAsync(
                async token =>
                {
                    tries++;
                    try
                    {
                        return await call(token);
                    }
                    catch (Exception ex) when (ex is StripeException or HttpRequestException or TimeoutRejectedException
                        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                    {
                        _telemetry.Failed(KindOf(ex));
                        throw;
                    }
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is StripeException or HttpRequestException or TimeoutRejectedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Each failed try was counted as it failed (a time-out too: the call sees its token cancelled).
            var kind = KindOf(ex);
            throw new GatewayException(kind, Sentence(kind, ex, what, tries));
        }
    }

    private string Sentence(string kind, Exception ex, string what, int tries)
    {
        var status = ex is StripeException { HttpStatusCode: var code } ? $"{(int)code} {code}" : null;
        var times = tries == 1 ? "once" : $"{tries.ToString(CultureInfo.InvariantCulture)} times";
        return kind switch
        {
            GatewayFailureKind.Unauthorized =>
                "Stripe refused the API key (401 Unauthorized): set Reconciliation__Stripe__ApiKey to a valid restricted key "
                + "with read access to events and payment intents.",
            GatewayFailureKind.Forbidden =>
                $"Stripe refused {what} (403 Forbidden): the key in Reconciliation__Stripe__ApiKey lacks read access to events or payment intents.",
            GatewayFailureKind.RateLimited => $"Stripe answered {what} with 429 Too Many Requests, asked {times}; the next pass tries again.",
            GatewayFailureKind.ServerError => $"Stripe answered {what} with {status}, asked {times}; the next pass tries again.",
            GatewayFailureKind.Timeout =>
                $"Stripe did not answer {what} within {CallTimeout.TotalSeconds:0} s, asked {times}; the next pass tries again.",
            GatewayFailureKind.Network =>
                $"Stripe's API at {_options.Stripe.ApiBase} could not be reached for {what} ({Redact(ex.Message)}), asked {times}.",
            _ => $"Stripe refused {what}{(status is null ? "" : $" with {status}")}: {Redact((ex as StripeException)?.StripeError?.Message ?? ex.Message)}.",
        };
    }

    private static string KindOf(Exception ex) => ex switch
    {
        StripeException { HttpStatusCode: HttpStatusCode.Unauthorized } => GatewayFailureKind.Unauthorized,
        StripeException { HttpStatusCode: HttpStatusCode.Forbidden } => GatewayFailureKind.Forbidden,
        StripeException { HttpStatusCode: HttpStatusCode.TooManyRequests } => GatewayFailureKind.RateLimited,
        StripeException { HttpStatusCode: >= HttpStatusCode.InternalServerError } => GatewayFailureKind.ServerError,
        // Stripe.net reports a connection failure as a StripeException without a status.
        StripeException { HttpStatusCode: 0, InnerException: HttpRequestException or IOException } => GatewayFailureKind.Network,
        StripeException => GatewayFailureKind.Rejected,
        TimeoutRejectedException or OperationCanceledException => GatewayFailureKind.Timeout,
        HttpRequestException => GatewayFailureKind.Network,
        _ => GatewayFailureKind.Rejected,
    };

    /// <summary>A 429's Retry-After (capped), else null: the retry's own growing delay.</summary>
    private static TimeSpan? RetryAfter(Exception? ex, DateTimeOffset now)
    {
        if (ex is StripeException { HttpStatusCode: HttpStatusCode.TooManyRequests, StripeResponse.Headers.RetryAfter: { } retryAfter })
        {
            var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : null);
            if (delay is { } wait && wait > TimeSpan.Zero)
            {
                return wait < MaxRetryAfter ? wait : MaxRetryAfter;
            }
        }

        return null;
    }

    private static List<GatewayEvent> Read(StripeList<Event> page)
    {
        // The events' JSON exactly as the API gave it: stored as the body a webhook would have carried.
        if (page.StripeResponse?.Content is { Length: > 0 } content)
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                return [.. data.EnumerateArray().Select(e => new GatewayEvent(
                    e.GetProperty("id").GetString()!,
                    e.TryGetProperty("type", out var type) ? type.GetString() : null,
                    e.TryGetProperty("created", out var created) && created.TryGetInt64(out var seconds)
                        ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                        : default,
                    e.GetRawText()))];
            }
        }

        return [.. page.Data.Select(e => new GatewayEvent(
            e.Id, e.Type, new DateTimeOffset(DateTime.SpecifyKind(e.Created, DateTimeKind.Utc)), e.RawJsonElement?.GetRawText() ?? "{}"))];
    }

    /// <summary>Any Stripe key in a text from the API (Stripe's errors quote the key, partly masked) becomes "[key]".</summary>
    private string Redact(string? text)
    {
        var redacted = ApiKeyPattern().Replace(FailureText.OneLine(text), "[key]");
        return _options.Stripe.ApiKey is { Length: > 0 } key ? redacted.Replace(key, "[key]", StringComparison.Ordinal) : redacted;
    }

    [GeneratedRegex(@"\b(sk|rk|pk)_[A-Za-z0-9_*]+")]
    private static partial Regex ApiKeyPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe's API failed ({Kind}); try {Try} in {Delay}")]
    private partial void LogRetry(string kind, int @try, TimeSpan delay);
}
