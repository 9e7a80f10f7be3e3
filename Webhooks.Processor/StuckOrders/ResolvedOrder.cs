namespace Webhooks.Processor.StuckOrders;

/// <summary>An order that was alerted as stuck and is no longer pending.</summary>
public sealed record ResolvedOrder(string OrderId, string Status, DateTime FirstAlertedAt);
