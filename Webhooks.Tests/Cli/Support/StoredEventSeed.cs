using System.Text;
using Dapper;
using Npgsql;

namespace Webhooks.Tests.Cli.Support;

/// <summary>Writes events into a test schema's store as the receiver would have committed them.</summary>
public static class StoredEventSeed
{
    public static async Task<Guid> InsertAsync(
        CliSchema schema,
        string provider,
        string eventId,
        string? type,
        DateTimeOffset receivedAt,
        string body,
        string headers = "{\"content-type\":\"application/json\"}")
    {
        var messageId = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_events (provider, event_id, event_type, received_at, message_id, headers, body)
            VALUES (@provider, @eventId, @type, @receivedAt, @messageId, @headers::jsonb, @body)
            """,
            new { provider, eventId, type, receivedAt = receivedAt.ToUniversalTime(), messageId, headers, body = Encoding.UTF8.GetBytes(body) });
        return messageId;
    }

    /// <summary>Many events at once, received one second apart ending now.</summary>
    public static async Task InsertManyAsync(CliSchema schema, int count, DateTimeOffset newest)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_events (provider, event_id, event_type, received_at, message_id, headers, body)
            SELECT 'stripe', 'evt_bulk_' || n, 'charge.succeeded', @newest - make_interval(secs => n), gen_random_uuid(), '{}'::jsonb, convert_to('{}', 'UTF8')
            FROM generate_series(1, @count) AS n
            """,
            new { count, newest = newest.ToUniversalTime() });
    }
}
