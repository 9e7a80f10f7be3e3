namespace Webhooks.Tests.Infrastructure;

/// <summary>An order's dispute (its latest) as stored.</summary>
public sealed record DisputeRow(
    string DisputeId,
    string OrderId,
    string Status,
    string? GatewayStatus,
    long? Amount,
    string? Currency,
    string? Reason,
    DateTime? DueBy,
    DateTime? FundsWithdrawnAt,
    DateTime? FundsReinstatedAt,
    DateTime? ClosedAt);
