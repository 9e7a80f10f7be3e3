using MassTransit;
using Webhooks.Contracts;
using Webhooks.Processor.Orders;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// Applies each stored event to its order. Idempotent on provider and event id, so the
/// at-least-once deliveries of the relay and of the broker are harmless.
/// </summary>
public sealed partial class PaymentEventReceivedConsumer(
    IOrderEventApplier applier,
    ILogger<PaymentEventReceivedConsumer> logger) : IConsumer<PaymentEventReceived>
{
    public async Task Consume(ConsumeContext<PaymentEventReceived> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var orderEvent = PaymentEventReader.Read(context.Message);
        var result = await applier.ApplyAsync(orderEvent, context.CancellationToken);

        var retries = context.GetRetryAttempt();
        if (retries > 0)
        {
            LogAppliedAfterRetries(orderEvent.Provider, orderEvent.EventId, retries, result.Outcome);
        }

        switch (result.Outcome)
        {
            case EventOutcome.Applied:
                LogApplied(orderEvent.Provider, orderEvent.EventId, orderEvent.EventType, orderEvent.OrderId, result.Before, result.After);
                break;
            case EventOutcome.Ignored:
                LogIgnored(orderEvent.Provider, orderEvent.EventId, orderEvent.EventType, orderEvent.IgnoredReason);
                break;
            default:
                LogNoChange(orderEvent.Provider, orderEvent.EventId, orderEvent.OrderId, result.Outcome);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Provider}/{EventId} ({EventType}) moved order {OrderId} from {Before} to {After}")]
    private partial void LogApplied(string provider, string eventId, string? eventType, string? orderId, OrderStatus? before, OrderStatus? after);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Provider}/{EventId} ({EventType}) ignored: {Reason}")]
    private partial void LogIgnored(string provider, string eventId, string? eventType, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Provider}/{EventId} left order {OrderId} as it was ({Outcome})")]
    private partial void LogNoChange(string provider, string eventId, string? orderId, EventOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Provider}/{EventId} went through after {Retries} in-process retries ({Outcome})")]
    private partial void LogAppliedAfterRetries(string provider, string eventId, int retries, EventOutcome outcome);
}
