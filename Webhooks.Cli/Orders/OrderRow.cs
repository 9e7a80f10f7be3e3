namespace Webhooks.Cli.Orders;

/// <summary>An order as the processor keeps it; amounts in the currency's minor unit.</summary>
internal sealed record OrderRow
{
    public string OrderId { get; init; } = "";

    public string Status { get; init; } = "";

    public long? Amount { get; init; }

    public string? Currency { get; init; }

    public long AmountRefunded { get; init; }

    public DateTime? PendingSince { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public string? LastProvider { get; init; }

    public string? LastEventId { get; init; }

    public string? LastEventType { get; init; }
}
