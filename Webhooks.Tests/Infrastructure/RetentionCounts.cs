namespace Webhooks.Tests.Infrastructure;

/// <summary>Stored events per retention category, and the rows of the tables beside them.</summary>
public sealed record RetentionCounts(long Deletable, long Recent, long OldInOutbox, long OldUnprocessed, long ProcessedRows, long OutboxRows)
{
    public long Events => Deletable + Recent + OldInOutbox + OldUnprocessed;
}
