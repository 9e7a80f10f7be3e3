namespace Webhooks.Cli.Orders;

/// <summary>An alert posted about the order: a stuck-order post (with its diagnosis), a dispute alert, or a dead letter of one of its events.</summary>
internal sealed record OrderAlert
{
    public DateTime SentAt { get; init; }

    public string Kind { get; init; } = "";

    public string? About { get; init; }

    public DateTimeOffset SentAtUtc => new(DateTime.SpecifyKind(SentAt, DateTimeKind.Utc));
}
