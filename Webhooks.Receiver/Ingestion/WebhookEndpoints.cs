using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Configuration;
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

    internal static async Task<Results<Ok<WebhookAck>, ProblemHttpResult, StatusCodeHttpResult>> ReceiveAsync(
        string provider,
        HttpContext context,
        WebhookProviderRegistry providers,
        GroupCommitEventWriter writer,
        IOptions<WebhooksOptions> options,
        TimeProvider clock,
        ReceiverTelemetry telemetry,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("Webhooks.Receiver.Ingestion");
        var started = clock.GetTimestamp();
        if (!providers.TryGet(provider, out var webhookProvider))
        {
            LogRejected(logger, "unknown", 404, "no such provider");
            telemetry.Received("unknown", ReceiveOutcome.UnknownProvider, clock.GetElapsedTime(started));
            return Problem(StatusCodes.Status404NotFound, "Unknown provider", "No webhook provider with this name is configured.");
        }

        var name = webhookProvider.Name;
        var body = await RequestBodyReader.ReadAsync(context.Request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            LogRejected(logger, name, 413, "body too large");
            telemetry.Received(name, ReceiveOutcome.TooLarge, clock.GetElapsedTime(started));
            return Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body is larger than {options.Value.MaxBodyBytes} bytes.");
        }

        var headers = context.Request.Headers;
        var check = webhookProvider.Verifier.Verify(headers, body);
        if (!check.IsValid)
        {
            LogRejected(logger, name, 401, check.Failure!);
            telemetry.Received(name, ReceiveOutcome.BadSignature, clock.GetElapsedTime(started));
            return Problem(StatusCodes.Status401Unauthorized, "Signature verification failed", check.Failure!);
        }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a webhook for provider {Provider} with {Status}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string provider, int status, string reason);

    // Debug: at thousands of events a second a line each would cost more than the store itself; metrics count them.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored webhook {Provider}/{EventId} ({EventType}): {Outcome}")]
    private static partial void LogStored(ILogger logger, string provider, string eventId, string? eventType, StoreOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store webhook {Provider}/{EventId}, answered 503: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, string provider, string eventId, string reason);
}
