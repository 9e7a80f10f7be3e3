using Dapper;
using Npgsql;

namespace Webhooks.Processor.StuckOrders;

/// <summary>The SQL of the stuck-order scan. "Now" is always a parameter (the injected clock), never the server's now().</summary>
internal static class StuckOrderAlertsTable
{
    public static async Task<IReadOnlyList<ResolvedOrder>> ResolvedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ResolvedOrder>(new CommandDefinition(
            """
            SELECT a.order_id AS OrderId, o.status AS Status, a.first_alerted_at AS FirstAlertedAt,
                   o.last_provider AS LastProvider, o.last_event_id AS LastEventId, o.last_event_type AS LastEventType,
                   CASE WHEN e.headers ->> 'x-webhooks-source' = 'reconciliation' THEN e.received_at END AS RecoveredAt
            FROM stuck_order_alerts a
            JOIN orders o ON o.order_id = a.order_id
            LEFT JOIN webhook_events e ON e.provider = o.last_provider AND e.event_id = o.last_event_id
            WHERE o.status <> 'pending'
            ORDER BY a.order_id
            LIMIT @limit
            """,
            new { limit },
            transaction,
            cancellationToken: cancellationToken))).AsList();

    public static Task RecordAlertsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> orderIds, DateTimeOffset now, CancellationToken cancellationToken) =>
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

    /// <summary>One row per order named by a post, with the diagnosis it gave: what <c>orders show</c> lists as the alerts sent about it.</summary>
    public static Task LogAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(string OrderId, string Kind, string? Diagnosis)> posts, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO stuck_order_alert_log (order_id, kind, diagnosis, sent_at)
            SELECT * FROM unnest(@orderIds, @kinds, @diagnoses, @sentAt)
            """,
            new
            {
                orderIds = posts.Select(p => p.OrderId).ToArray(),
                kinds = posts.Select(p => p.Kind).ToArray(),
                diagnoses = posts.Select(p => p.Diagnosis).ToArray(),
                sentAt = posts.Select(_ => now.UtcDateTime).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));

    public static Task ForgetAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> orderIds, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM stuck_order_alerts WHERE order_id = ANY(@orderIds)",
            new { orderIds = orderIds.ToArray() },
            transaction,
            cancellationToken: cancellationToken));
}
