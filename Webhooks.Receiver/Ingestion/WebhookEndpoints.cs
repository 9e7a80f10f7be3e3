using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Webhooks.Infrastructure.Storage;
using Webhooks.Receiver.Protection;
using Webhooks.Receiver.Storage;
using Webhooks.Receiver.Telemetry;

namespace Webhooks.Receiver.Ingestion;

/// <summary>
/// <c>POST /webhooks/{provider}</c>: verify, store, answer. Nothing else happens on this path. The
/// request goes through a short pipeline (provider, admission, body, signature, envelope, store), each
/// step either passing it on or ending it with a <see cref="Reception"/>, which is recorded once.
/// </summary>
public static partial class WebhookEndpoints
{
    // Long enough for a database blip to pass, short enough for the gateway's first retries.
    private const string StoreRetryAfterSeconds = "5";

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/webhooks")
            .MapPost("/{provider}", ReceiveAsync)
            .WithName("ReceiveWebhook")
            .DisableAntiforgery();
        return endpoints;
    }

    internal static async Task<Results<Ok<WebhookAck>, ProblemHttpResult, EmptyHttpResult>> ReceiveAsync(
        string provider, HttpContext context, [AsParameters] ReceiveServices services, CancellationToken cancellationToken)
    {
        var started = services.Clock.GetTimestamp();
        var reception = await ReceiveStepsAsync(provider, context, services, cancellationToken);
        Record(services, reception, services.Clock.GetElapsedTime(started));
        return reception.Result;
    }

    private static async Task<Reception> ReceiveStepsAsync(string provider, HttpContext context, ReceiveServices services, CancellationToken cancellationToken)
    {
        if (!services.Providers.TryGet(provider, out var webhookProvider))
        {
            return Reception.Refused(
                context,
                "unknown",
                ReceiveOutcome.UnknownProvider,
                StatusCodes.Status404NotFound,
                "Unknown provider",
                "No webhook provider with this name is configured.",
                closeConnection: true);
        }

        var name = webhookProvider.Name;
        var remote = context.Connection.RemoteIpAddress;
        using var admission = services.Guard.Admit(remote);
        if (admission.Verdict != IngressVerdict.Admitted)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling(admission.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return admission.Verdict == IngressVerdict.RateLimited
                ? Reception.Refused(context, name, ReceiveOutcome.RateLimited, StatusCodes.Status429TooManyRequests, "Too many failed requests",
                    "Too many requests from this address failed verification recently; retry after the time in Retry-After.", retryAfter, closeConnection: true)
                : Reception.Refused(context, name, ReceiveOutcome.Overloaded, StatusCodes.Status503ServiceUnavailable, "Receiver busy",
                    "Too many requests are being verified right now; nothing was accepted. Retry after the time in Retry-After.",
                    retryAfter,
                    closeConnection: true);
        }

        var options = services.Options.Value;
        var bodyTimeout = services.Protection.Value.BodyTimeout;
        var read = await RequestBodyReader.ReadAsync(context.Request, options.MaxBodyBytes, bodyTimeout, services.Clock, cancellationToken);
        if (read.Status == BodyReadStatus.Aborted)
        {
            // Nobody is left to hear an answer, and a client that hangs up proves nothing about its address.
            return Reception.Abandoned(name);
        }

        if (read.Body is not { } body)
        {
            services.Guard.RecordFailure(remote);
            return read.Status switch
            {
                BodyReadStatus.TooLarge => Reception.Refused(context, name, ReceiveOutcome.TooLarge, StatusCodes.Status413PayloadTooLarge, "Body too large",
                    $"The body is larger than {options.MaxBodyBytes} bytes.", closeConnection: true),
                BodyReadStatus.TimedOut => Reception.Refused(context, name, ReceiveOutcome.TimedOut, StatusCodes.Status408RequestTimeout, "Body too slow",
                    $"The body did not arrive within {bodyTimeout.TotalSeconds:0.#} s.", closeConnection: true),
                _ => Reception.Refused(context, name, ReceiveOutcome.Malformed, StatusCodes.Status400BadRequest, "Malformed request",
                    "The request body's framing is broken.", closeConnection: true),
            };
        }

        var headers = context.Request.Headers;
        var check = webhookProvider.Verifier.Verify(headers, body);
        if (!check.IsValid)
        {
            services.Guard.RecordFailure(remote);
            return Reception.Refused(context, name, ReceiveOutcome.BadSignature, StatusCodes.Status401Unauthorized, "Signature verification failed",
                check.Failure!, signatureReason: check.Reason);
        }

        // Authentic from here on: the slot is for requests not yet verified.
        admission.Dispose();

        if (!EventEnvelope.TryRead(body, headers, webhookProvider.KeySource, check.SignedEventId, out var envelope, out var failure))
        {
            return Reception.Refused(context, name, ReceiveOutcome.UnreadableBody, StatusCodes.Status400BadRequest, "Unreadable event", failure!);
        }

        return await StoreAsync(context, services, webhookProvider, envelope, body, cancellationToken);
    }

    private static async Task<Reception> StoreAsync(
        HttpContext context, ReceiveServices services, WebhookProvider provider, EventEnvelope envelope, byte[] body, CancellationToken cancellationToken)
    {
        using var activity = ReceiverTelemetry.Source.StartActivity("webhook store");
        activity?.SetTag("webhooks.provider", provider.Name);
        activity?.SetTag("webhooks.event_id", envelope.EventId);
        activity?.SetTag("webhooks.event_type", envelope.EventType);
        var headers = context.Request.Headers;
        var incoming = new IncomingEvent(
            provider.Name,
            envelope.EventId,
            envelope.EventType,
            services.Clock.GetUtcNow(),
            HeaderSnapshot.ToJson(headers, provider.Verifier.StoredHeaders),
            body,
            Activity.Current?.Id)
        {
            OrderRef = envelope.OrderRef,
            PaymentIntentRef = envelope.PaymentIntentRef,
        };
        try
        {
            var accepted = await services.Writer.StoreAsync(incoming, cancellationToken) == StoreOutcome.Accepted;
            activity?.SetTag("webhooks.outcome", accepted ? ReceiveOutcome.Accepted : ReceiveOutcome.Duplicate);
            return Reception.Stored(provider.Name, accepted ? WebhookAck.Accepted(envelope.EventId) : WebhookAck.Duplicate(envelope.EventId), accepted);
        }
        catch (StoreUnavailableException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            var refused = Reception.Refused(
                context,
                provider.Name,
                ReceiveOutcome.StoreUnavailable,
                StatusCodes.Status503ServiceUnavailable,
                "Event not stored",
                "The event could not be stored right now; nothing was accepted. Retry later.",
                StoreRetryAfterSeconds);
            return refused with { Reason = $"{envelope.EventId}: {ex.Message}" };
        }
    }

    /// <summary>The one place an outcome is recorded: the metrics, and the log line it deserves.</summary>
    private static void Record(ReceiveServices services, Reception reception, TimeSpan elapsed)
    {
        services.Telemetry.Received(reception.Provider, reception.Outcome, elapsed, reception.SignatureReason);
        var logger = services.LoggerFactory.CreateLogger("Webhooks.Receiver.Ingestion");
        switch (reception.Outcome)
        {
            case ReceiveOutcome.Accepted or ReceiveOutcome.Duplicate:
                LogStored(logger, reception.Provider, reception.Reason, reception.Outcome);
                break;
            case ReceiveOutcome.ClientAborted:
                break;
            case ReceiveOutcome.RateLimited or ReceiveOutcome.Overloaded:
                LogRefused(logger, reception.Provider, reception.Status);
                break;
            case ReceiveOutcome.StoreUnavailable:
                LogStoreUnavailable(logger, reception.Provider, reception.Reason);
                break;
            default:
                LogRejected(logger, reception.Provider, reception.Status, reception.Reason);
                break;
        }
    }

    // Debug: a flood would otherwise write a line per request; the metric counts them.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a webhook for provider {Provider} with {Status} before reading it")]
    private static partial void LogRefused(ILogger logger, string provider, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a webhook for provider {Provider} with {Status}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string provider, int status, string? reason);

    // Debug: at thousands of events a second a line each would cost more than the store itself; metrics count them.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored webhook {Provider}/{EventId}: {Outcome}")]
    private static partial void LogStored(ILogger logger, string provider, string? eventId, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store a webhook for provider {Provider}, answered 503: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, string provider, string? reason);
}
