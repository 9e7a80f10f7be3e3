namespace Webhooks.Processor.Orders;

/// <summary>What applying one event did to its order: <paramref name="Before"/> is null when the order was unknown.</summary>
public sealed record ApplyResult(EventOutcome Outcome, OrderStatus? Before, OrderStatus? After)
{
    /// <summary>The order the event concerned: named by it, or found through its payment intent.</summary>
    public string? OrderId { get; init; }
}
