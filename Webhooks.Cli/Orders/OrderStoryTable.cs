using Dapper;
using Npgsql;
using Webhooks.Infrastructure.Orders;

namespace Webhooks.Cli.Orders;

/// <summary>Reads an order's story: a handful of index lookups, whatever the size of the store.</summary>
internal sealed class OrderStoryTable(NpgsqlDataSource dataSource)
{
    public Task<OrderStory> ReadAsync(string orderId, bool gatewayAsked, CancellationToken cancellationToken) =>
        OrderTables.ReadAsync(dataSource, async connection =>
        {
            var order = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
                """
                SELECT order_id AS OrderId, status AS Status, amount AS Amount, currency AS Currency, amount_refunded AS AmountRefunded,
                       pending_since AS PendingSince, created_at AS CreatedAt, updated_at AS UpdatedAt,
                       last_provider AS LastProvider, last_event_id AS LastEventId, last_event_type AS LastEventType
                FROM orders WHERE order_id = @orderId
                """,
                new { orderId },
                cancellationToken: cancellationToken));
            var dispute = await connection.QuerySingleOrDefaultAsync<DisputeSummary>(new CommandDefinition(
                """
                SELECT status AS Status, amount AS Amount, currency AS Currency, reason AS Reason, due_by AS DueBy
                FROM order_latest_disputes WHERE order_id = @orderId
                """,
                new { orderId },
                cancellationToken: cancellationToken));
            var events = (await OrderEvents.ForOrdersAsync(connection, null, [orderId], cancellationToken))[orderId].ToList();
            var alerts = (await connection.QueryAsync<OrderAlert>(new CommandDefinition(
                """
                SELECT sent_at AS SentAt, 'stuck order: ' || kind AS Kind, diagnosis AS About
                FROM stuck_order_alert_log WHERE order_id = @orderId
                UNION ALL
                SELECT a.notified_at, 'dispute ' || a.kind, 'dispute ' || a.dispute_id
                FROM dispute_alerts a JOIN disputes x ON x.dispute_id = a.dispute_id
                WHERE x.order_id = @orderId AND a.notified_at IS NOT NULL
                UNION ALL
                SELECT d.notified_at, 'dead letter', d.provider || '/' || d.event_id || ' message ' || d.message_id || ': ' || d.reason
                FROM dead_letter_alerts d
                JOIN unnest(@providers, @eventIds) AS e(provider, event_id) ON d.provider = e.provider AND d.event_id = e.event_id
                WHERE d.notified_at IS NOT NULL
                ORDER BY 1
                """,
                new { orderId, providers = events.Select(e => e.Provider).ToArray(), eventIds = events.Select(e => e.EventId).ToArray() },
                cancellationToken: cancellationToken))).AsList();
            StuckOrderDiagnosis? diagnosis = null;
            if (order is { Status: "pending", PendingSince: { } since })
            {
                var answer = (await StuckOrderQuery.GatewayAnswersAsync(connection, null, [orderId], cancellationToken)).MaxBy(a => a.CheckedAt);
                var stuck = new StuckOrder { OrderId = orderId, Status = order.Status, PendingSince = since };
                diagnosis = StuckOrderDiagnoser.Diagnose(stuck, events, answer, gatewayAsked);
            }

            return new OrderStory(order, dispute, events, alerts, diagnosis);
        }, cancellationToken);
}
