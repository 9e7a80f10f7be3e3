namespace Webhooks.Cli.Orders;

/// <summary>One row of <c>orders stuck --json</c>, exactly the contract's fields.</summary>
internal sealed record StuckOrder(string OrderId, string Status, DateTimeOffset PendingSince);
