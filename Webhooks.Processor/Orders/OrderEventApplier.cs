using Npgsql;

namespace Webhooks.Processor.Orders;

/// <summary>
/// One transaction per event (see <see cref="OrderUpdate"/> for what it does): the event is
/// recorded in <c>processed_events</c> in the same commit as its effect on the order.
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
        var result = await OrderUpdate.ApplyAsync(connection, transaction, orderEvent, timeProvider.GetUtcNow(), cancellationToken);
        if (result.Outcome == EventOutcome.Duplicate)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return result;
        }

        // Not cancellable: once the commit is sent its outcome must be known, not abandoned.
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }
}
