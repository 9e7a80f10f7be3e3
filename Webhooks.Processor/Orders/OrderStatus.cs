namespace Webhooks.Processor.Orders;

/// <summary>
/// The states of an order, declared in rank order: an order only ever moves to a higher rank.
/// <list type="bullet">
/// <item><c>Pending</c> is the lowest: any news about a payment is newer than its creation.</item>
/// <item><c>PaymentFailed</c> is below <c>Canceled</c> and <c>Paid</c>: a failed attempt may be followed
/// by the intent being canceled, or by a retry that succeeds.</item>
/// <item><c>Canceled</c> is below <c>Paid</c>: money that has arrived (a charge on another intent, a
/// late success) is the fact that matters for the order.</item>
/// <item><c>PartiallyRefunded</c> is above <c>Paid</c>: part of the money went back, which is only
/// possible after a payment.</item>
/// <item><c>Refunded</c> is the highest: all of it went back, so a late partial refund never undoes it.</item>
/// </list>
/// Because the outcome is the highest rank seen, every delivery order of the same events ends in
/// the same state. A dispute is not a rank: it is a field of its own (<see cref="DisputeStatus"/>).
/// </summary>
public enum OrderStatus
{
    Pending = 0,
    PaymentFailed = 1,
    Canceled = 2,
    Paid = 3,
    PartiallyRefunded = 4,
    Refunded = 5,
}
