namespace Webhooks.Cli.Orders;

/// <summary>A pending order from the processor's <c>orders</c> table, with the event that last set it.</summary>
internal sealed record StuckOrderRow
{
    public string OrderId { get; init; } = "";

    public string Status { get; init; } = "";

    public DateTime PendingSince { get; init; }

    public string? LastProvider { get; init; }

    public string? LastEventId { get; init; }

    public string? LastEventType { get; init; }

    public DateTimeOffset PendingSinceUtc => new(DateTime.SpecifyKind(PendingSince, DateTimeKind.Utc));
}
