namespace Webhooks.Processor.StuckOrders;

/// <summary>What one scan did. <see cref="Skipped"/>: another processor held this round's lock.</summary>
public sealed record StuckOrderScan(bool Skipped, int Alerted, int Escalated, int Cleared, int Undelivered)
{
    /// <summary>Events reported for waiting longer than the threshold for their payment intent's order.</summary>
    public int Unlinked { get; init; }

    /// <summary>Pending orders not alerted because an event for them waits to be processed (the backlog alert covers them).</summary>
    public int Queued { get; init; }

    /// <summary>The backlog alert: "alerted", "still", "cleared", or null when nothing was posted about it.</summary>
    public string? Backlog { get; init; }

    public static StuckOrderScan SkippedScan { get; } = new(true, 0, 0, 0, 0);
}
