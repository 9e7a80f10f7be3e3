namespace Webhooks.Infrastructure.Orders;

/// <summary>
/// A stored event that names an order (directly, or through its payment intent), with what became of it:
/// the processor's outcome, or the dead letter it became, or nothing yet (stored and not processed).
/// </summary>
public sealed record OrderEventRecord
{
    public string OrderId { get; init; } = "";

    public string Provider { get; init; } = "";

    public string EventId { get; init; } = "";

    public string? EventType { get; init; }

    public DateTime ReceivedAt { get; init; }

    /// <summary><see cref="EventSources.Reconciliation"/> when the gateway's API gave it, null when it was delivered as a webhook.</summary>
    public string? Source { get; init; }

    /// <summary>The processor's outcome (applied, unchanged, ignored, waiting), null while it has none.</summary>
    public string? Outcome { get; init; }

    public string? Detail { get; init; }

    public Guid? DeadLetterMessageId { get; init; }

    public DateTime? DeadLetteredAt { get; init; }

    public DateTimeOffset ReceivedAtUtc => new(DateTime.SpecifyKind(ReceivedAt, DateTimeKind.Utc));

    public bool IsReconciled => Source == EventSources.Reconciliation;

    /// <summary>Dead-lettered and not processed since (a replay that succeeded has an outcome).</summary>
    public bool IsDeadLettered => Outcome is null && DeadLetterMessageId is not null;

    /// <summary>Stored and not processed yet, nor dead-lettered: the processor is behind.</summary>
    public bool IsQueued => Outcome is null && DeadLetterMessageId is null;

    /// <summary>
    /// The contract's state: applied, unchanged, ignored, waiting (for its payment intent's order, or queued
    /// for the processor: stored, not yet applied) or dead-lettered.
    /// </summary>
    public string State => Outcome ?? (DeadLetterMessageId is null ? "waiting" : "dead-lettered");
}
