using Npgsql;

namespace Webhooks.Processor.Orders;

/// <summary>
/// One transaction per event: the order row is locked (so two events for one order on two
/// consumers cannot interleave), moved up if the event ranks higher, and the event is recorded in
/// <c>processed_events</c> in the same commit, so a redelivery finds it and changes nothing.
/// </summary>
public sealed class OrderEventApplier(NpgsqlDataSource dataSource, TimeProvider timeProvider) : IOrderEventApplier
{
    public async Task<ApplyResult> ApplyAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderEvent);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // The common redelivery needs no transaction; the insert at the end is what guarantees once.
        if (await ProcessedEventsTable.ExistsAsync(connection, orderEvent.Provider, orderEvent.EventId, cancellationToken))
        {
            return new ApplyResult(EventOutcome.Duplicate, null, null);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var result = orderEvent.ConcernsAnOrder
            ? await ApplyToOrderAsync(connection, transaction, orderEvent, now, cancellationToken)
            : new ApplyResult(EventOutcome.Ignored, null, null);

        if (!await ProcessedEventsTable.TryRecordAsync(connection, transaction, orderEvent, result.Outcome, Detail(orderEvent, result), now, cancellationToken))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return new ApplyResult(EventOutcome.Duplicate, null, null);
        }

        // Not cancellable: once the commit is sent its outcome must be known, not abandoned.
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }

    private static async Task<ApplyResult> ApplyToOrderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OrderEvent orderEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var target = orderEvent.TargetStatus!.Value;
        var current = await OrdersTable.LockAsync(connection, transaction, orderEvent.OrderId!, cancellationToken);
        if (current is null)
        {
            if (await OrdersTable.TryCreateAsync(connection, transaction, orderEvent, now, cancellationToken))
            {
                return new ApplyResult(EventOutcome.Applied, null, target);
            }

            // Created by another consumer since the first look: lock it and decide as for a known order.
            current = await OrdersTable.LockAsync(connection, transaction, orderEvent.OrderId!, cancellationToken)
                ?? throw new InvalidOperationException($"Order '{orderEvent.OrderId}' existed a moment ago and is gone now.");
        }

        var before = OrderStatusNames.Parse(current);
        if (target <= before)
        {
            return new ApplyResult(EventOutcome.Unchanged, before, before);
        }

        await OrdersTable.MoveUpAsync(connection, transaction, orderEvent, now, cancellationToken);
        return new ApplyResult(EventOutcome.Applied, before, target);
    }

    private static string? Detail(OrderEvent orderEvent, ApplyResult result) => result.Outcome switch
    {
        EventOutcome.Ignored => orderEvent.IgnoredReason,
        EventOutcome.Unchanged => $"the order is already {result.Before!.Value.ToDatabaseValue()}",
        EventOutcome.Applied when result.Before is null => $"created as {result.After!.Value.ToDatabaseValue()}",
        EventOutcome.Applied => $"{result.Before!.Value.ToDatabaseValue()} -> {result.After!.Value.ToDatabaseValue()}",
        _ => null,
    };
}
