namespace Webhooks.Processor.StuckOrders;

/// <summary>
/// An order that was alerted as stuck and is no longer pending, with the event that moved it;
/// <see cref="RecoveredAt"/> is set when that event came from the gateway's API (reconciliation).
/// </summary>
public sealed record ResolvedOrder
{
    public string OrderId { get; init; } = "";

    public string Status { get; init; } = "";

    public DateTime FirstAlertedAt { get; init; }

    public string? LastProvider { get; init; }

    public string? LastEventId { get; init; }

    public string? LastEventType { get; init; }

    public DateTime? RecoveredAt { get; init; }
}
