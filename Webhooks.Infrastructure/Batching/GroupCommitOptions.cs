namespace Webhooks.Infrastructure.Batching;

/// <summary>How a <see cref="GroupCommitter{TItem, TResult}"/> batches.</summary>
/// <param name="MaxBatch">Most items in one commit.</param>
/// <param name="Loops">Commits in flight at once.</param>
/// <param name="Capacity">Most items waiting; null for no limit (when the callers' own concurrency bounds it).</param>
/// <param name="DrainOnStop">
/// Whether the stop commits what is queued (callers are waiting for it) or drops it (nobody waits:
/// what is dropped is found again elsewhere, as unpublished outbox rows are by the relay).
/// </param>
public sealed record GroupCommitOptions(int MaxBatch, int Loops = 1, int? Capacity = null, bool DrainOnStop = true);
