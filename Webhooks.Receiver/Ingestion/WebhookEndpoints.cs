using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Configuration;
using Webhooks.Receiver.Protection;
using Webhooks.Receiver.Storage;
using Webhooks.Receiver.Telemetry;

namespace Webhooks.Receiver.Ingestion;

/// <summary><c>POST /webhooks/{provider}</c>: verify, store, answer. Nothing else happens on this path.</summary>
public static partial class WebhookEndpoints
{
    // Long enough for a database blip to pass, short enough for the gateway's first retries.
    private const string RetryAfterSeconds = "5";

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/webhooks")
            .MapPost("/{provider}", ReceiveAsync)
            .WithName("ReceiveWebhook")
            .DisableAntiforgery();
        return endpoints;
    }

    internal static async Task<Results<Ok<WebhookAck>, ProblemHttpResult, EmptyHttpResult>> ReceiveAsync(
        string provider,
        HttpContext context,
        WebhookProviderRegistry providers,
        IngressGuard guard,
        GroupCommitEventWriter writer,
        IOptions<WebhooksOptions> options,
        IOptions<ProtectionOptions> protection,
        TimeProvider clock,
        ReceiverTelemetry telemetry,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("Webhooks.Receiver.Ingestion");
        var started = clock.GetTimestamp();
        var remote = context.Connection.RemoteIpAddress;
        if (!providers.TryGet(provider, out var webhookProvider))
        {
            LogRejected(logger, "unknown", 404, "no such provider");
            telemetry.Received("unknown", ReceiveOutcome.UnknownProvider, clock.GetElapsedTime(started));
            return Refuse(context, StatusCodes.Status404NotFound, "Unknown provider", "No webhook provider with this name is configured.");
        }

        var name = webhookProvider.Name;
        using var admission = guard.Admit(remote);
        if (admission.Verdict != IngressVerdict.Admitted)
        {
            var limited = admission.Verdict == IngressVerdict.RateLimited;
            LogRefused(logger, name, limited ? 429 : 503);
            telemetry.Received(name, limited ? ReceiveOutcome.RateLimited : ReceiveOutcome.Overloaded, clock.GetElapsedTime(started));
            context.Response.Headers.RetryAfter = RetryAfterText(admission.RetryAfter);
            return limited
                ? Refuse(context, StatusCodes.Status429TooManyRequests, "Too many failed requests", "Too many requests from this address failed verification recently; retry after the time in Retry-After.")
                : Refuse(context, StatusCodes.Status503ServiceUnavailable, "Receiver busy", "Too many requests are being verified right now; nothing was accepted. Retry after the time in Retry-After.");
        }

        var read = await RequestBodyReader.ReadAsync(context.Request, options.Value.MaxBodyBytes, protection.Value.BodyTimeout, clock, cancellationToken);
        if (read.Status == BodyReadStatus.Aborted)
        {
            // Nobody is left to hear an answer, and a client that hangs up proves nothing about its address.
            telemetry.Received(name, ReceiveOutcome.ClientAborted, clock.GetElapsedTime(started));
            return TypedResults.Empty;
        }

        if (read.Body is not { } body)
        {
            var (status, outcome, title, detail) = read.Status switch
            {
                BodyReadStatus.TooLarge => (StatusCodes.Status413PayloadTooLarge, ReceiveOutcome.TooLarge, "Body too large", $"The body is larger than {options.Value.MaxBodyBytes} bytes."),
                BodyReadStatus.TimedOut => (StatusCodes.Status408RequestTimeout, ReceiveOutcome.TimedOut, "Body too slow", $"The body did not arrive within {protection.Value.BodyTimeout.TotalSeconds:0.#} s."),
                _ => (StatusCodes.Status400BadRequest, ReceiveOutcome.Malformed, "Malformed request", "The request body's framing is broken."),
            };
            guard.RecordFailure(remote);
            LogRejected(logger, name, status, title);
            telemetry.Received(name, outcome, clock.GetElapsedTime(started));
            return Refuse(context, status, title, detail);
        }

        var headers = context.Request.Headers;
        var check = webhookProvider.Verifier.Verify(headers, body);
        if (!check.IsValid)
        {
            guard.RecordFailure(remote);
            LogRejected(logger, name, 401, check.Failure!);
            telemetry.Received(name, ReceiveOutcome.BadSignature, clock.GetElapsedTime(started), check.Reason);
            return Problem(StatusCodes.Status401Unauthorized, "Signature verification failed", check.Failure!);
        }

        // Authentic from here on: the slot is for requests not yet verified.
        admission.Dispose();

        if (!EventEnvelope.TryRead(body, headers, webhookProvider.KeySource, check.SignedEventId, out var envelope, out var failure))
        {
            LogRejected(logger, name, 400, failure!);
            telemetry.Received(name, ReceiveOutcome.UnreadableBody, clock.GetElapsedTime(started));
            return Problem(StatusCodes.Status400BadRequest, "Unreadable event", failure!);
        }

        using var activity = ReceiverTelemetry.Source.StartActivity("webhook store");
        activity?.SetTag("webhooks.provider", name);
        activity?.SetTag("webhooks.event_id", envelope.EventId);
        activity?.SetTag("webhooks.event_type", envelope.EventType);
        var incoming = new IncomingEvent(
            name,
            envelope.EventId,
            envelope.EventType,
            clock.GetUtcNow(),
            HeaderSnapshot.ToJson(headers, webhookProvider.Verifier.StoredHeaders),
            body,
            Activity.Current?.Id);

        try
        {
            var outcome = await writer.StoreAsync(incoming, cancellationToken);
            LogStored(logger, name, envelope.EventId, envelope.EventType, outcome);
            var accepted = outcome == StoreOutcome.Accepted;
            activity?.SetTag("webhooks.outcome", accepted ? ReceiveOutcome.Accepted : ReceiveOutcome.Duplicate);
            telemetry.Received(name, accepted ? ReceiveOutcome.Accepted : ReceiveOutcome.Duplicate, clock.GetElapsedTime(started));
            return TypedResults.Ok(accepted ? WebhookAck.Accepted(envelope.EventId) : WebhookAck.Duplicate(envelope.EventId));
        }
        catch (StoreUnavailableException ex)
        {
            LogStoreUnavailable(logger, name, envelope.EventId, ex.Message);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            telemetry.Received(name, ReceiveOutcome.StoreUnavailable, clock.GetElapsedTime(started));
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            return Problem(StatusCodes.Status503ServiceUnavailable, "Event not stored", "The event could not be stored right now; nothing was accepted. Retry later.");
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>A refusal before (or instead of) reading the whole body: the connection closes after it, so the server never drains what a hostile or broken client still sends.</summary>
    private static ProblemHttpResult Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.Headers.Connection = "close";
        return Problem(status, title, detail);
    }

    private static string RetryAfterText(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Debug: a flood would otherwise write a line per request; the metric counts them.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a webhook for provider {Provider} with {Status} before reading it")]
    private static partial void LogRefused(ILogger logger, string provider, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a webhook for provider {Provider} with {Status}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string provider, int status, string reason);

    // Debug: at thousands of events a second a line each would cost more than the store itself; metrics count them.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored webhook {Provider}/{EventId} ({EventType}): {Outcome}")]
    private static partial void LogStored(ILogger logger, string provider, string eventId, string? eventType, StoreOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store webhook {Provider}/{EventId}, answered 503: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, string provider, string eventId, string reason);
}
