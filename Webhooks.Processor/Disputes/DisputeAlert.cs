namespace Webhooks.Processor.Disputes;

/// <summary>A due row of <c>dispute_alerts</c> with its dispute as it is now. Amounts are in the currency's minor unit.</summary>
public sealed record DisputeAlert(
    string DisputeId,
    string Kind,
    string OrderId,
    string Status,
    string? GatewayStatus,
    long? Amount,
    string? Currency,
    string? Reason,
    DateTime? DueBy,
    DateTime RecordedAt);
