using Dapper;
using Npgsql;

namespace Webhooks.Processor.StuckOrders;

/// <summary>The SQL of the stuck-order scan. "Now" is always a parameter (the injected clock), never the server's now().</summary>
internal static class StuckOrderAlertsTable
{
    /// <summary>Pending since <paramref name="stuckBefore"/> or earlier, and never alerted or last alerted at <paramref name="escalateBefore"/> or earlier.</summary>
    public static async Task<IReadOnlyList<StuckOrder>> DueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset stuckBefore, DateTimeOffset escalateBefore, int limit, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<StuckOrder>(new CommandDefinition(
            """
            SELECT o.order_id AS OrderId, o.pending_since AS PendingSince,
                   coalesce(a.alert_count, 0) AS AlertCount, a.first_alerted_at AS FirstAlertedAt
            FROM orders o
            LEFT JOIN stuck_order_alerts a ON a.order_id = o.order_id
            WHERE o.status = 'pending' AND o.pending_since <= @stuckBefore
              AND (a.order_id IS NULL OR a.last_alerted_at <= @escalateBefore)
            ORDER BY o.pending_since, o.order_id
            LIMIT @limit
            """,
            new { stuckBefore = stuckBefore.ToUniversalTime(), escalateBefore = escalateBefore.ToUniversalTime(), limit },
            transaction,
            cancellationToken: cancellationToken))).AsList();

    public static async Task<IReadOnlyList<ResolvedOrder>> ResolvedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ResolvedOrder>(new CommandDefinition(
            """
            SELECT a.order_id AS OrderId, o.status AS Status, a.first_alerted_at AS FirstAlertedAt
            FROM stuck_order_alerts a
            JOIN orders o ON o.order_id = a.order_id
            WHERE o.status <> 'pending'
            ORDER BY a.order_id
            LIMIT @limit
            """,
            new { limit },
            transaction,
            cancellationToken: cancellationToken))).AsList();

    public static Task RecordAlertsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> orderIds, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO stuck_order_alerts (order_id, first_alerted_at, last_alerted_at, alert_count)
            SELECT id, @now, @now, 1 FROM unnest(@orderIds) AS id
            ON CONFLICT (order_id) DO UPDATE
            SET last_alerted_at = EXCLUDED.last_alerted_at, alert_count = stuck_order_alerts.alert_count + 1
            """,
            new { orderIds = orderIds.ToArray(), now = now.ToUniversalTime() },
            transaction,
            cancellationToken: cancellationToken));

    public static Task ForgetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> orderIds, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM stuck_order_alerts WHERE order_id = ANY(@orderIds)",
            new { orderIds = orderIds.ToArray() },
            transaction,
            cancellationToken: cancellationToken));
}
