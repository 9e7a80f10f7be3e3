using Dapper;
using Npgsql;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Reads what the processor really committed, straight from PostgreSQL (in the test's schema).</summary>
public sealed class OrderQueries(string connectionString)
{
    public async Task<OrderRow?> OrderAsync(string orderId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.QuerySingleOrDefaultAsync<OrderRow>(
            """
            SELECT order_id AS OrderId, status AS Status, pending_since AS PendingSince, created_at AS CreatedAt, updated_at AS UpdatedAt,
                   last_event_id AS LastEventId
            FROM orders WHERE order_id = @orderId
            """,
            new { orderId });
    }

    public async Task<string?> StatusAsync(string orderId) => (await OrderAsync(orderId))?.Status;

    public async Task<PaymentRow?> PaymentAsync(string orderId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.QuerySingleOrDefaultAsync<PaymentRow>(
            "SELECT status AS Status, amount AS Amount, currency AS Currency, amount_refunded AS AmountRefunded FROM orders WHERE order_id = @orderId",
            new { orderId });
    }

    /// <summary>The order's dispute: its latest (the view the schema defines for that).</summary>
    public async Task<DisputeRow?> DisputeAsync(string orderId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.QuerySingleOrDefaultAsync<DisputeRow>(
            """
            SELECT dispute_id AS DisputeId, order_id AS OrderId, status AS Status, gateway_status AS GatewayStatus, amount AS Amount, currency AS Currency,
                   reason AS Reason, due_by AS DueBy, funds_withdrawn_at AS FundsWithdrawnAt, funds_reinstated_at AS FundsReinstatedAt, closed_at AS ClosedAt
            FROM order_latest_disputes WHERE order_id = @orderId
            """,
            new { orderId });
    }

    /// <summary>The recorded outcome, detail and order of an event; the outcome is null while it is not processed.</summary>
    public async Task<(string? Outcome, string? Detail, string? OrderId)> RecordAsync(string eventId, string provider = "stripe")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(string? Outcome, string? Detail, string? OrderId)>(
            "SELECT outcome, detail, order_id FROM processed_events WHERE provider = @provider AND event_id = @eventId", new { provider, eventId });
        return rows.SingleOrDefault();
    }

    public async Task<long> WaitingCountAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM waiting_events");
    }

    /// <summary>Every dispute alert recorded, as "dispute_id kind".</summary>
    public async Task<List<string>> DisputeAlertsAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return (await connection.QueryAsync<string>("SELECT dispute_id || ' ' || kind FROM dispute_alerts ORDER BY dispute_id, kind")).AsList();
    }

    /// <summary>The recorded outcome of an event, or null while it is not processed.</summary>
    public async Task<string?> OutcomeAsync(string eventId, string provider = "stripe")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT outcome FROM processed_events WHERE provider = @provider AND event_id = @eventId", new { provider, eventId });
    }

    public async Task<long> ProcessedCountAsync(IEnumerable<string> eventIds, string provider = "stripe")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM processed_events WHERE provider = @provider AND event_id = ANY(@eventIds)", new { provider, eventIds = eventIds.ToArray() });
    }

    public async Task<long> DeadLetterAlertCountAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM dead_letter_alerts");
    }

    public async Task<long> DeadLetterAlertCountAsync(string eventId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM dead_letter_alerts WHERE event_id = @eventId", new { eventId });
    }

    /// <summary>Waits until the event has a recorded outcome; returns it, or null after the timeout.</summary>
    public async Task<string?> WaitForOutcomeAsync(string eventId, TimeSpan? timeout = null)
    {
        string? outcome = null;
        await Eventually.TrueAsync(async () => (outcome = await OutcomeAsync(eventId)) is not null, timeout ?? TimeSpan.FromSeconds(20));
        return outcome;
    }
}
