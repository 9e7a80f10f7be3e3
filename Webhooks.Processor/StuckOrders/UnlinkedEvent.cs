namespace Webhooks.Processor.StuckOrders;

/// <summary>An event that has waited longer than the threshold for its payment intent to be linked to an order.</summary>
public sealed record UnlinkedEvent(string Provider, string EventId, string? EventType, string PaymentIntentId, DateTime WaitingSince);
