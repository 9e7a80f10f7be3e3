using Dapper;
using Npgsql;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Reads what the receiver really committed, straight from PostgreSQL (in the test's own schema).</summary>
public sealed class StoreQueries(string connectionString)
{
    public async Task<long> CountEventsAsync(string provider, string eventId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM webhook_events WHERE provider = @provider AND event_id = @eventId", new { provider, eventId });
    }

    public async Task<long> CountEventsAsync(string provider, IEnumerable<string> eventIds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM webhook_events WHERE provider = @provider AND event_id = ANY(@eventIds)", new { provider, eventIds = eventIds.ToArray() });
    }

    public async Task<long> CountAllEventsAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM webhook_events");
    }

    public async Task<long> CountOutboxAsync(string provider, IEnumerable<string> eventIds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(
            """
            SELECT count(*) FROM event_outbox o JOIN webhook_events e ON e.id = o.event_row_id
            WHERE e.provider = @provider AND e.event_id = ANY(@eventIds)
            """,
            new { provider, eventIds = eventIds.ToArray() });
    }

    public async Task<StoredEvent?> GetAsync(string provider, string eventId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.QuerySingleOrDefaultAsync<StoredEvent>(
            """
            SELECT provider AS Provider, event_id AS EventId, event_type AS EventType, headers::text AS Headers, body AS Body
            FROM webhook_events WHERE provider = @provider AND event_id = @eventId
            """,
            new { provider, eventId });
    }

    /// <summary>The row's id, receipt time and message id: what the published message must carry.</summary>
    public async Task<(long Id, DateTimeOffset ReceivedAt, Guid MessageId)> RowAsync(string provider, string eventId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.QuerySingleAsync<(long, DateTimeOffset, Guid)>(
            "SELECT id, received_at, message_id FROM webhook_events WHERE provider = @provider AND event_id = @eventId",
            new { provider, eventId });
    }
}

public sealed record StoredEvent(string Provider, string EventId, string? EventType, string Headers, byte[] Body);

/// <summary>Waits for a condition that becomes true asynchronously (a relay, a consumer).</summary>
public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds or the timeout passes; returns whether it held.</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow().UtcDateTime + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (TimeProvider.System.GetUtcNow().UtcDateTime > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }
    }
}
