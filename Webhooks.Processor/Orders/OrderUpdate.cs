using Npgsql;

namespace Webhooks.Processor.Orders;

/// <summary>
/// What one event does inside a transaction its caller owns: the order row is locked (so two events
/// for one order on two transactions cannot interleave), moved up if the event ranks higher, and
/// the event is recorded in <c>processed_events</c>, so a redelivery finds it and changes nothing.
/// </summary>
internal static class OrderUpdate
{
    /// <summary>
    /// Applies and records the event. A <see cref="EventOutcome.Duplicate"/> result means the event
    /// was recorded already: the caller must roll back whatever this did to the order.
    /// </summary>
    public static async Task<ApplyResult> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OrderEvent orderEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = orderEvent.ConcernsAnOrder
            ? await ApplyToOrderAsync(connection, transaction, orderEvent, now, cancellationToken)
            : new ApplyResult(EventOutcome.Ignored, null, null);

        return await ProcessedEventsTable.TryRecordAsync(connection, transaction, orderEvent, result.Outcome, Detail(orderEvent, result), now, cancellationToken)
            ? result
            : new ApplyResult(EventOutcome.Duplicate, null, null);
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
