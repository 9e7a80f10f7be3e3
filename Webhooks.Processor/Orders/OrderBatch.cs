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

        foreach (var pending in LockOrder(batch))
        {
            var key = Key(pending.Event);
            if (recorded.Contains(key))
            {
                // Committed before, or by an earlier event of this batch (which then commits with it).
                pending.Result = new ApplyResult(EventOutcome.Duplicate, null, null);
                continue;
            }

            // A Duplicate here was recorded by another processor's commit since the look above; its
            // statement changed nothing.
            await ApplyOneAsync(connection, transaction, pending, now);
            if (pending.Result is { Outcome: not EventOutcome.Duplicate })
            {
                recorded.Add(key);
            }
        }

        await transaction.CommitAsync(none);
    }

    /// <summary>
    /// One round trip: SAVEPOINT, the event's statement and RELEASE. On an error the server skips the
    /// rest, and a second round trip rolls back to the savepoint; an order created by another
    /// transaction meanwhile is then tried once more.
    /// </summary>
    private static async Task ApplyOneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingApply pending, DateTimeOffset now)
    {
        var none = CancellationToken.None;
        for (var attempt = 1; ; attempt++)
        {
            await using var round = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("SAVEPOINT event"),
                    EventStatement.For(pending.Event, now),
                    new NpgsqlBatchCommand("RELEASE SAVEPOINT event"),
                },
            };
            try
            {
                // The reader skips the results without rows (SAVEPOINT): it starts on the statement's.
                await using var reader = await round.ExecuteReaderAsync(none);
                pending.Result = await EventStatement.ReadAsync(reader, pending.Event, none);
                return;
            }
            catch (Exception ex) when (!TransientFailure.IsTransient(ex))
            {
                await RollBackToSavepointAsync(connection, transaction);
                if (attempt == 1 && EventStatement.IsCreatedMeanwhile(ex))
                {
                    continue;
                }

                pending.Failure = ex;
                return;
            }
        }
    }

    private static async Task RollBackToSavepointAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var round = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { new NpgsqlBatchCommand("ROLLBACK TO SAVEPOINT event"), new NpgsqlBatchCommand("RELEASE SAVEPOINT event") },
        };
        await round.ExecuteNonQueryAsync(CancellationToken.None);
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
