namespace Webhooks.Processor.StuckOrders;

/// <summary>
/// The processing backlog as the backlog alert sees it: the oldest stored event that is neither processed
/// nor dead-lettered, and how many such events there are (counted up to <see cref="MaxCounted"/>).
/// </summary>
public sealed record BacklogAlert(DateTimeOffset OldestReceivedAt, long Size)
{
    public const long MaxCounted = 100_000;

    public bool SizeIsCapped => Size > MaxCounted;
}
