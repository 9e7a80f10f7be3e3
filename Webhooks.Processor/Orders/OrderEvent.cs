namespace Webhooks.Processor.Orders;

/// <summary>
/// An event read for its effect on an order: a status (<see cref="TargetStatus"/>), a change to the
/// order's dispute (<see cref="Dispute"/>), or both, plus the money it carries (<see cref="Amounts"/>).
/// The order is <see cref="OrderId"/> when the event names it, else the one its
/// <see cref="PaymentIntentId"/> is linked to. An event without an effect carries
/// <see cref="IgnoredReason"/> instead.
/// </summary>
public sealed record OrderEvent(
    string Provider,
    string EventId,
    string? EventType,
    DateTimeOffset ReceivedAt,
    string? OrderId,
    OrderStatus? TargetStatus,
    string? IgnoredReason)
{
    /// <summary>The payment intent the event's object is (a <c>payment_intent</c>) or names (a charge's or dispute's <c>payment_intent</c>).</summary>
    public string? PaymentIntentId { get; init; }

    /// <summary>
    /// A <c>payment_intent.*</c> event with an order id: it links <see cref="PaymentIntentId"/> to <see cref="OrderId"/> (the first link wins).
    /// </summary>
    public bool LinksPaymentIntent { get; init; }

    public PaymentAmounts? Amounts { get; init; }

    public DisputeChange? Dispute { get; init; }

    public bool ConcernsAnOrder =>
        IgnoredReason is null && (OrderId is not null || PaymentIntentId is not null) && (TargetStatus is not null || Dispute is not null);
}
