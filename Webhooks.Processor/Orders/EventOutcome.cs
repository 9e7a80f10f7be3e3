namespace Webhooks.Processor.Orders;

/// <summary>What consuming one event did. All but <see cref="Duplicate"/> are recorded in <c>processed_events.outcome</c>.</summary>
public enum EventOutcome
{
    /// <summary>The order was created or moved up.</summary>
    Applied,

    /// <summary>Not about an order: an event type outside the contract's table, or an object without an order id.</summary>
    Ignored,

    /// <summary>About an order that already is at the same or a higher rank.</summary>
    Unchanged,

    /// <summary>This event was consumed before; nothing was done or recorded again.</summary>
    Duplicate,

    /// <summary>
    /// It names a payment intent that no event has linked to an order yet: kept with its effect, and
    /// applied (then recorded as applied or unchanged) in the transaction that links the payment intent.
    /// </summary>
    Waiting,
}
