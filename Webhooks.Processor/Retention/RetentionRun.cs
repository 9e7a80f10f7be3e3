namespace Webhooks.Processor.Retention;

/// <summary>
/// What one retention run did. <see cref="Skipped"/>: another processor held the lock.
/// <see cref="Candidates"/>: events past the cutoff, published and processed when the run counted;
/// <see cref="Refused"/>: they were more than <c>Retention__MaxShare</c> of <see cref="Stored"/>, so
/// nothing was deleted.
/// </summary>
public sealed record RetentionRun(bool Skipped, bool DryRun, bool Refused, DateTimeOffset Cutoff, long Stored, long Candidates, long Deleted, int Batches)
{
    public static RetentionRun SkippedRun(DateTimeOffset cutoff, bool dryRun) => new(true, dryRun, false, cutoff, 0, 0, 0, 0);
}
