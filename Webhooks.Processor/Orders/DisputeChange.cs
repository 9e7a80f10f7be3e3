namespace Webhooks.Processor.Orders;

/// <summary>
/// What a <c>charge.dispute.*</c> event says about its dispute. The row of the highest
/// <see cref="Version"/> gives the dispute's details; the funds and closing times are the first seen.
/// Amounts are in the currency's minor unit.
/// </summary>
public sealed record DisputeChange(
    string DisputeId,
    DisputeStatus Status,
    string? GatewayStatus,
    long Version,
    long? Amount,
    string? Currency,
    string? Reason,
    DateTimeOffset? DueBy,
    DateTimeOffset? OpenedAt,
    string? ChargeId,
    DateTimeOffset? FundsWithdrawnAt,
    DateTimeOffset? FundsReinstatedAt,
    DateTimeOffset? ClosedAt);
