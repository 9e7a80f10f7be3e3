namespace Webhooks.Processor.Orders;

/// <summary>
/// An event read for its effect on an order. <see cref="OrderId"/> and <see cref="TargetStatus"/> are
/// both set, or neither (then <see cref="IgnoredReason"/> says why it concerns no order).
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
    public bool ConcernsAnOrder => OrderId is not null && TargetStatus is not null;
}
