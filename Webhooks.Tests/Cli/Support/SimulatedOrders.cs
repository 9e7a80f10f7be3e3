using Dapper;
using Npgsql;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli.Support;

/// <summary>What a simulation left in a test schema: the processor's orders and the receiver's stored events.</summary>
public sealed class SimulatedOrders(string connectionString)
{
    /// <summary>The status of each of <paramref name="orderIds"/> (missing when the processor has not created it).</summary>
    public async Task<Dictionary<string, string>> StatusesAsync(IEnumerable<string> orderIds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(string OrderId, string Status)>(
            "SELECT order_id, status FROM orders WHERE order_id = ANY(@ids)", new { ids = orderIds.ToArray() });
        return rows.ToDictionary(r => r.OrderId, r => r.Status);
    }

    /// <summary>Waits until every order is in its expected status; returns the statuses last seen.</summary>
    public async Task<Dictionary<string, string>> WaitForAsync(IReadOnlyDictionary<string, string> expected, TimeSpan timeout)
    {
        var seen = new Dictionary<string, string>();
        await Eventually.TrueAsync(
            async () =>
            {
                seen = await StatusesAsync(expected.Keys);
                return expected.All(e => seen.GetValueOrDefault(e.Key) == e.Value);
            },
            timeout);
        return seen;
    }

    /// <summary>
    /// The stored event types of each order, in the order the receiver stored them. A charge or dispute
    /// names no order: it belongs to the order whose payment intent it names.
    /// </summary>
    public async Task<Dictionary<string, List<string>>> StoredTypesByOrderAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(string? OrderId, string? Type)>(
            """
            WITH stored AS (
                SELECT id, event_type, convert_from(body, 'UTF8')::jsonb #> '{data,object}' AS o FROM webhook_events
            ),
            intents AS (
                SELECT DISTINCT o ->> 'id' AS payment_intent, o #>> '{metadata,order_id}' AS order_id
                FROM stored WHERE event_type LIKE 'payment_intent.%' AND o #>> '{metadata,order_id}' IS NOT NULL
            )
            SELECT coalesce(s.o #>> '{metadata,order_id}', i.order_id), s.event_type
            FROM stored s LEFT JOIN intents i ON i.payment_intent = s.o ->> 'payment_intent'
            ORDER BY s.id
            """);
        return rows.Where(r => r.OrderId is not null)
            .GroupBy(r => r.OrderId!)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Type ?? "").ToList());
    }

    /// <summary>Each order's dispute status (its latest dispute), for the orders that have one.</summary>
    public async Task<Dictionary<string, string>> DisputesAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(string OrderId, string Status)>("SELECT order_id, status FROM order_latest_disputes");
        return rows.ToDictionary(r => r.OrderId, r => r.Status);
    }

    /// <summary>Each order's amount, currency and amount refunded, in minor units.</summary>
    public async Task<Dictionary<string, (long Amount, string Currency, long Refunded)>> AmountsAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(string OrderId, long Amount, string Currency, long Refunded)>(
            "SELECT order_id, amount, currency, amount_refunded FROM orders WHERE amount IS NOT NULL");
        return rows.ToDictionary(r => r.OrderId, r => (r.Amount, r.Currency, r.Refunded));
    }

    public async Task<long> WaitingEventCountAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM waiting_events");
    }

    public async Task<long> StoredEventCountAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM webhook_events");
    }
}
