using Npgsql;
using Webhooks.Infrastructure.Batching;
using Webhooks.Processor.Messaging;

namespace Webhooks.Processor.Orders;

/// <summary>
/// Applies a batch of events with a constant number of statements, whatever its size: the orders' and
/// payment intents' locks (<see cref="OrderLocks"/>) and the set-based <see cref="ApplyStatement"/>,
/// sent in one round trip as one implicit transaction, and completes each entry once its part of the batch has committed. Returns
/// what the committed parts of the batch did besides (<see cref="BatchEffects"/>).
/// </summary>
/// <remarks>
/// No savepoint per event (each would be a subtransaction). Instead, a batch that PostgreSQL rejects
/// for a reason of its own (a constraint, a value it cannot store) is split in halves and each half
/// applied again, down to the single event that is rejected: that event alone carries the failure,
/// every other event of the batch is applied. A transient failure (connection, timeout, deadlock)
/// throws, and nothing of that part of the batch is kept.
/// </remarks>
internal static class OrderBatch
{
    public static async Task<BatchEffects> ApplyAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<GroupCommitEntry<OrderEvent, ApplyResult>> batch, DateTimeOffset now)
    {
        try
        {
            var (results, effects) = await ApplyOnceAsync(dataSource, batch, now);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Succeed(results[i]);
            }

            return effects;
        }
        catch (Exception ex) when (!TransientFailure.IsTransient(ex))
        {
            if (batch.Count == 1)
            {
                batch[0].Fail(ex);
                return BatchEffects.None;
            }

            var half = batch.Count / 2;
            var first = await ApplyAsync(dataSource, [.. batch.Take(half)], now);
            var second = await ApplyAsync(dataSource, [.. batch.Skip(half)], now);
            return first.Add(second);
        }
    }

    private static async Task<(ApplyResult[] Results, BatchEffects Effects)> ApplyOnceAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<GroupCommitEntry<OrderEvent, ApplyResult>> batch, DateTimeOffset now)
    {
        // Not cancellable: once a batch is taken, its callers wait for the commit's outcome.
        var none = CancellationToken.None;
        var events = batch.Select(e => e.Item).ToList();
        var concerned = events.Where(e => e.ConcernsAnOrder).ToList();
        var orderIds = concerned.Where(e => e.OrderId is not null).Select(e => e.OrderId!).Distinct(StringComparer.Ordinal).ToList();
        var paymentIntentIds = concerned.Where(e => e.PaymentIntentId is not null).Select(e => e.PaymentIntentId!).Distinct(StringComparer.Ordinal).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(none);
        // Without a transaction of ours the two statements form one implicit transaction: it commits
        // when the server has run both, and the reader is closed only once that commit has answered.
        await using var round = new NpgsqlBatch(connection) { BatchCommands = { OrderLocks.For(orderIds, paymentIntentIds), ApplyStatement.For(events, now) } };
        await round.PrepareAsync(none);
        await using var reader = await round.ExecuteReaderAsync(none);
        await reader.NextResultAsync(none);
        var results = await ApplyStatement.ReadAsync(reader, events, none);
        await reader.CloseAsync();
        return results;
    }
}
