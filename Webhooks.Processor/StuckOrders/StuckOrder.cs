namespace Webhooks.Processor.StuckOrders;

/// <summary>A pending order past the threshold that is due an alert; <see cref="AlertCount"/> is 0 when it was never alerted.</summary>
public sealed record StuckOrder(string OrderId, DateTime PendingSince, int AlertCount, DateTime? FirstAlertedAt)
{
    public bool IsEscalation => AlertCount > 0;
}
