namespace Webhooks.Cli.Orders;

/// <summary>
/// The order's dispute (its latest), as <c>orders show --json</c> gives it: status, amount in minor units,
/// currency, reason, evidence deadline.
/// </summary>
internal sealed record DisputeSummary
{
    public string Status { get; init; } = "";

    public long? Amount { get; init; }

    public string? Currency { get; init; }

    public string? Reason { get; init; }

    public DateTime? DueBy { get; init; }

    public DateTimeOffset? DueByUtc => DueBy is { } due ? new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)) : null;
}
