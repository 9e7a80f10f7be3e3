using Dapper;
using Npgsql;

namespace Webhooks.Processor.Orders;

/// <summary>The SQL of the <c>orders</c> table. Every statement runs inside the caller's transaction.</summary>
internal static class OrdersTable
{
    /// <summary>The order's status, with its row locked until the transaction ends; null when unknown.</summary>
    public static Task<string?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string orderId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT status FROM orders WHERE order_id = @orderId FOR UPDATE",
            new { orderId },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>
    /// Creates the order; false when it exists already (another consumer may have created it a
    /// moment ago: the insert waits for that commit, then does nothing).
    /// </summary>
    public static async Task<bool> TryCreateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OrderEvent orderEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var status = orderEvent.TargetStatus!.Value;
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO orders (order_id, status, pending_since, created_at, updated_at, last_provider, last_event_id, last_event_type)
            VALUES (@orderId, @status, @pendingSince, @now, @now, @provider, @eventId, @eventType)
            ON CONFLICT (order_id) DO NOTHING
            """,
            new
            {
                orderId = orderEvent.OrderId,
                status = status.ToDatabaseValue(),
                pendingSince = status == OrderStatus.Pending ? orderEvent.ReceivedAt.ToUniversalTime() : (DateTimeOffset?)null,
                now = now.ToUniversalTime(),
                provider = orderEvent.Provider,
                eventId = orderEvent.EventId,
                eventType = orderEvent.EventType,
            },
            transaction,
            cancellationToken: cancellationToken));
        return inserted == 1;
    }

    /// <summary>Moves a locked order up to the event's status; it is no longer pending afterwards.</summary>
    public static Task MoveUpAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OrderEvent orderEvent, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE orders
            SET status = @status, pending_since = NULL, updated_at = @now,
                last_provider = @provider, last_event_id = @eventId, last_event_type = @eventType
            WHERE order_id = @orderId
            """,
            new
            {
                orderId = orderEvent.OrderId,
                status = orderEvent.TargetStatus!.Value.ToDatabaseValue(),
                now = now.ToUniversalTime(),
                provider = orderEvent.Provider,
                eventId = orderEvent.EventId,
                eventType = orderEvent.EventType,
            },
            transaction,
            cancellationToken: cancellationToken));
}
