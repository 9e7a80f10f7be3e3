namespace Webhooks.Processor.Orders;

/// <summary>
/// What one committed batch did beyond each event's own outcome, for the metrics and the dispute
/// alerts: events that were waiting and were applied, events that now wait, disputes that opened or
/// closed, refunds applied, and dispute alerts recorded for Slack.
/// </summary>
public sealed record BatchEffects(
    int Released,
    int Parked,
    int DisputesOpened,
    int DisputesWon,
    int DisputesLost,
    int PartialRefunds,
    int FullRefunds,
    int DisputeAlerts)
{
    public static BatchEffects None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    public BatchEffects Add(BatchEffects other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Released + other.Released,
            Parked + other.Parked,
            DisputesOpened + other.DisputesOpened,
            DisputesWon + other.DisputesWon,
            DisputesLost + other.DisputesLost,
            PartialRefunds + other.PartialRefunds,
            FullRefunds + other.FullRefunds,
            DisputeAlerts + other.DisputeAlerts);
    }
}
