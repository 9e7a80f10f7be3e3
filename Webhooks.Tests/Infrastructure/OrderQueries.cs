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
