using Npgsql;
using Webhooks.Processor.Messaging;

namespace Webhooks.Processor.Orders;

/// <summary>
/// Applies a batch of events in one transaction, each under a savepoint of its own, and leaves each
/// event's outcome on it. An event that fails for its own reasons (a constraint, bad data) rolls back
/// only its savepoint; a transient failure (connection, timeout, deadlock) or a failed commit throws,
/// and nothing of the batch is kept.
/// </summary>
internal static class OrderBatch
{
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, IReadOnlyList<PendingApply> batch, DateTimeOffset now)
    {
        // Not cancellable: once a batch is taken, its callers wait for the commit's outcome.
        var none = CancellationToken.None;
        await using var connection = await dataSource.OpenConnectionAsync(none);
        await using var transaction = await connection.BeginTransactionAsync(none);
        var keys = batch.Select(p => Key(p.Event)).Distinct().ToList();
        var recorded = await ProcessedEventsTable.RecordedAsync(connection, transaction, keys, none);

        var position = 0;
        foreach (var pending in LockOrder(batch))
        {
            var key = Key(pending.Event);
            if (recorded.Contains(key))
            {
                // Committed before, or by an earlier event of this batch (which then commits with it).
                pending.Result = new ApplyResult(EventOutcome.Duplicate, null, null);
                continue;
            }

            var savepoint = $"event_{position++}";
            await transaction.SaveAsync(savepoint, none);
            try
            {
                pending.Result = await OrderUpdate.ApplyAsync(connection, transaction, pending.Event, now, none);
            }
            catch (Exception ex) when (!TransientFailure.IsTransient(ex))
            {
                await transaction.RollbackAsync(savepoint, none);
                pending.Failure = ex;
                continue;
            }

            if (pending.Result.Outcome == EventOutcome.Duplicate)
            {
                // Recorded by another processor's commit since the look above.
                await transaction.RollbackAsync(savepoint, none);
            }
            else
            {
                await transaction.ReleaseAsync(savepoint, none);
                recorded.Add(key);
            }
        }

        await transaction.CommitAsync(none);
    }

    /// <summary>
    /// By order id, then in arrival: every transaction locks orders in the same order, so two batches
    /// (of two loops, or two processors) cannot deadlock on them, and one order's events keep their
    /// queue order. Events without an order lock none and come first.
    /// </summary>
    private static IEnumerable<PendingApply> LockOrder(IReadOnlyList<PendingApply> batch) =>
        batch.OrderBy(p => p.Event.OrderId, StringComparer.Ordinal);

    private static (string Provider, string EventId) Key(OrderEvent orderEvent) => (orderEvent.Provider, orderEvent.EventId);
}
