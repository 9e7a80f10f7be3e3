using System.Diagnostics;
using MassTransit;
using Webhooks.Contracts;
using Webhooks.Processor.Orders;
using Webhooks.Processor.Telemetry;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// Applies each stored event to its order. Idempotent on provider and event id, so the
/// at-least-once deliveries of the relay and of the broker are harmless.
/// </summary>
/// <remarks>
/// One message is one consume, and concurrent consumes share commits through the
/// <see cref="GroupCommitOrderApplier"/>. MassTransit's batch consumer (<c>Batch&lt;T&gt;</c>) was
/// measured and not chosen: its consume pipeline cost no less CPU per message than this one
/// (<c>bench/consume-pipeline.sh</c>, figures in <c>bench/RESULTS.md</c>), and a failing batch
/// consume fails every message of the batch, so a poison event would drag its neighbours into the
/// dead-letter queue, where here it fails only its own message.
/// </remarks>
public sealed partial class PaymentEventReceivedConsumer(
    IOrderEventApplier applier,
    ProcessorTelemetry telemetry,
    TimeProvider clock,
    ILogger<PaymentEventReceivedConsumer> logger) : IConsumer<PaymentEventReceived>
{
    public async Task Consume(ConsumeContext<PaymentEventReceived> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var orderEvent = PaymentEventReader.Read(context.Message);
        using var activity = ProcessorTelemetry.Source.StartActivity("order update");
        activity?.SetTag("webhooks.provider", orderEvent.Provider);
        activity?.SetTag("webhooks.event_id", orderEvent.EventId);
        activity?.SetTag("webhooks.order_id", orderEvent.OrderId);
        ApplyResult result;
        try
        {
            result = await applier.ApplyAsync(orderEvent, context.CancellationToken);
        }
        catch (Exception ex) when (TransientFailure.IsTransient(ex) && ex is not TransientEventException)
        {
            throw new TransientEventException(
                $"Event {orderEvent.Provider}/{orderEvent.EventId} could not be applied for now ({ex.GetType().Name}: {ex.Message})", ex);
        }

        activity?.SetTag("webhooks.outcome", result.Outcome.ToString());
        activity?.SetTag("webhooks.order_id", result.OrderId ?? orderEvent.OrderId);
        telemetry.Processed(result.Outcome, clock.GetUtcNow() - context.Message.ReceivedAt);

        var retries = context.GetRetryAttempt();
        if (retries > 0)
        {
            LogAppliedAfterRetries(orderEvent.Provider, orderEvent.EventId, retries, result.Outcome);
        }

        switch (result.Outcome)
        {
            case EventOutcome.Applied:
                LogApplied(orderEvent.Provider, orderEvent.EventId, orderEvent.EventType, result.OrderId, result.Before, result.After);
                break;
            case EventOutcome.Waiting:
                LogWaiting(orderEvent.Provider, orderEvent.EventId, orderEvent.EventType, orderEvent.PaymentIntentId);
                break;
            case EventOutcome.Ignored:
                LogIgnored(orderEvent.Provider, orderEvent.EventId, orderEvent.EventType, orderEvent.IgnoredReason);
                break;
            default:
                LogNoChange(orderEvent.Provider, orderEvent.EventId, result.OrderId ?? orderEvent.OrderId, result.Outcome);
                break;
        }
    }

    // Debug, like the other per-event lines: at thousands of events a second the metrics count them.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {Provider}/{EventId} ({EventType}) moved order {OrderId} from {Before} to {After}")]
    private partial void LogApplied(string provider, string eventId, string? eventType, string? orderId, OrderStatus? before, OrderStatus? after);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {Provider}/{EventId} ({EventType}) waits for payment intent {PaymentIntentId} to be linked")]
    private partial void LogWaiting(string provider, string eventId, string? eventType, string? paymentIntentId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {Provider}/{EventId} ({EventType}) ignored: {Reason}")]
    private partial void LogIgnored(string provider, string eventId, string? eventType, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {Provider}/{EventId} left order {OrderId} as it was ({Outcome})")]
    private partial void LogNoChange(string provider, string eventId, string? orderId, EventOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Provider}/{EventId} went through after {Retries} in-process retries ({Outcome})")]
    private partial void LogAppliedAfterRetries(string provider, string eventId, int retries, EventOutcome outcome);
}
