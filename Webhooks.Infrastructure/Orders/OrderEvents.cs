using Dapper;
using Npgsql;

namespace Webhooks.Infrastructure.Orders;

/// <summary>
/// Every stored event that names the given orders, with its state, in one statement: by the order
/// reference the receiver recorded (<c>webhook_events.order_ref</c>), through the order's payment intents
/// (<c>payment_intent_ref</c>: charges and disputes name only that), and by the processor's record
/// (<c>processed_events.order_id</c>, which also covers events stored before the references were). Each
/// path is an index lookup, so the cost does not grow with the store.
/// </summary>
public static class OrderEvents
{
    /// <summary>At most this many events are read per call; an order's story is rarely more than a dozen.</summary>
    public const int MaxEvents = 10_000;

    private const string Sql = $"""
        WITH links AS (
            SELECT l.order_id, l.payment_intent_id FROM payment_intent_links l WHERE l.order_id = ANY(@orderIds)
        ),
        found AS (
            SELECT e.order_ref AS order_id, e.id FROM webhook_events e WHERE e.order_ref = ANY(@orderIds)
            UNION
            SELECT l.order_id, e.id
            FROM links l JOIN webhook_events e ON e.payment_intent_ref = l.payment_intent_id
            WHERE e.payment_intent_ref = ANY(ARRAY(SELECT payment_intent_id FROM links))
            UNION
            SELECT p.order_id, e.id
            FROM processed_events p JOIN webhook_events e ON e.provider = p.provider AND e.event_id = p.event_id
            WHERE p.order_id = ANY(@orderIds)
        )
        SELECT f.order_id AS OrderId, e.provider AS Provider, e.event_id AS EventId, e.event_type AS EventType, e.received_at AS ReceivedAt,
               e.headers ->> '{EventSources.Header}' AS Source, p.outcome AS Outcome, p.detail AS Detail,
               d.message_id AS DeadLetterMessageId, d.failed_at AS DeadLetteredAt
        FROM found f
        JOIN webhook_events e ON e.id = f.id
        LEFT JOIN processed_events p ON p.provider = e.provider AND p.event_id = e.event_id
        LEFT JOIN LATERAL (
            SELECT x.message_id, x.failed_at FROM dead_letter_alerts x
            WHERE x.provider = e.provider AND x.event_id = e.event_id
            ORDER BY x.recorded_at DESC LIMIT 1) d ON true
        ORDER BY f.order_id, e.received_at, e.id
        LIMIT @limit
        """;

    public static async Task<ILookup<string, OrderEventRecord>> ForOrdersAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<string> orderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        if (orderIds.Count == 0)
        {
            return Array.Empty<OrderEventRecord>().ToLookup(e => e.OrderId, StringComparer.Ordinal);
        }

        var rows = await connection.QueryAsync<OrderEventRecord>(new CommandDefinition(
            Sql, new { orderIds = orderIds.ToArray(), limit = MaxEvents }, transaction, cancellationToken: cancellationToken));
        return rows.ToLookup(e => e.OrderId, StringComparer.Ordinal);
    }
}
