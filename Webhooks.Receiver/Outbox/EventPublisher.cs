using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using Webhooks.Contracts;
using Webhooks.Receiver.Telemetry;

namespace Webhooks.Receiver.Outbox;

/// <summary>
/// One confirmed, mandatory publish of a stored event. Succeeds only when the broker confirmed a
/// routed message: a message no queue would take comes back as returned and counts as not published.
/// </summary>
public sealed class EventPublisher(IBus bus, IOptions<OutboxOptions> options, ReceiverTelemetry telemetry, TimeProvider clock)
{
    public const string FastLane = "fast_lane";
    public const string Relay = "relay";

    private readonly TimeSpan _timeout = options.Value.PublishTimeout;

    /// <summary>Null when published, else why not (a sentence without secrets).</summary>
    /// <param name="traceParent">The W3C context of the request that stored the event: the publish joins that trace.</param>
    /// <param name="path"><see cref="FastLane"/> or <see cref="Relay"/>, for the metrics.</param>
    public async Task<string?> PublishAsync(PaymentEventReceived message, Guid messageId, string? traceParent, string path, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        using var activity = ReceiverTelemetry.Source.StartActivity("outbox publish", ActivityKind.Internal, parent);
        activity?.SetTag("webhooks.provider", message.Provider);
        activity?.SetTag("webhooks.event_id", message.EventId);
        activity?.SetTag("webhooks.publish_path", path);

        var failure = await TryPublishAsync(message, messageId, cancellationToken);
        if (failure is null)
        {
            telemetry.Published(path, clock.GetUtcNow() - message.ReceivedAt);
        }
        else
        {
            activity?.SetStatus(ActivityStatusCode.Error, failure);
        }

        return failure;
    }

    private async Task<string?> TryPublishAsync(PaymentEventReceived message, Guid messageId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await bus.Publish(message, context =>
            {
                // A stable id per stored event: a second publish of the same row is recognisably the same message.
                context.MessageId = messageId;
                context.Durable = true;
                if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                {
                    rabbit.Mandatory = true;
                }
            }, timeout.Token);
            return null;
        }
        catch (MessageReturnedException)
        {
            return "The broker returned the message: no queue is bound to the event exchange yet (has a processor ever started?).";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"No confirm from the broker within {_timeout.TotalSeconds:0.#} s.";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }
}
