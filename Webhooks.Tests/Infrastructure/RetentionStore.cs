using Dapper;
using Npgsql;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// A store of a realistic size for retention tests, written by a few set-based statements. Event
/// number n (event id <c>evt_n</c>) decides its category: the newest 30% are recent (just inside
/// the retention age); of the older ones, n % 14 = 0 are still in the outbox, n % 14 = 1 were never
/// processed, and the rest are old, published and processed: the only ones retention may delete.
/// Each excluded category fails exactly one condition, and all are interleaved by id.
/// </summary>
public sealed class RetentionStore(string connectionString)
{
    private const string Category =
        """
        CASE WHEN n > @oldCount THEN 'recent' WHEN n % 14 = 0 THEN 'outbox' WHEN n % 14 = 1 THEN 'unprocessed' ELSE 'deletable' END
        """;

    public static RetentionCounts Expected(int total)
    {
        var old = OldCount(total);
        var inOutbox = old / 14;
        var unprocessed = (old + 13) / 14;
        return new RetentionCounts(old - inOutbox - unprocessed, total - old, inOutbox, unprocessed, total - unprocessed, inOutbox);
    }

    /// <summary>Old events are received a minute (and up to a few days more) before <paramref name="cutoff"/>, recent ones a minute after it.</summary>
    public async Task SeedAsync(int total, DateTimeOffset cutoff)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var parameters = new { total, oldCount = OldCount(total), cutoff = cutoff.ToUniversalTime() };
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_events (provider, event_id, event_type, received_at, message_id, headers, body)
            SELECT 'stripe', 'evt_' || n, 'payment_intent.succeeded',
                   CASE WHEN n > @oldCount THEN @cutoff + interval '1 minute'
                        ELSE @cutoff - interval '1 minute' - (@oldCount - n) * interval '1 second' END,
                   gen_random_uuid(),
                   '{"content-type":"application/json","stripe-signature":"t=1,v1=00"}'::jsonb,
                   convert_to(format('{"id":"evt_%s","type":"payment_intent.succeeded","data":{"object":{"metadata":{"order_id":"o-%s"}}}}', n, n), 'UTF8')
            FROM generate_series(1, @total) AS n
            """,
            parameters,
            commandTimeout: 120);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO processed_events (provider, event_id, event_type, order_id, outcome, processed_at)
            SELECT 'stripe', 'evt_' || n, 'payment_intent.succeeded', 'o-' || n, 'applied', @cutoff
            FROM generate_series(1, @total) AS n
            WHERE {Category} <> 'unprocessed'
            """,
            parameters,
            commandTimeout: 120);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO event_outbox (event_row_id)
            SELECT e.id FROM webhook_events e, LATERAL (SELECT substr(e.event_id, 5)::int AS n) x
            WHERE {Category} = 'outbox'
            """,
            parameters,
            commandTimeout: 120);
        await connection.ExecuteAsync("ANALYZE webhook_events; ANALYZE processed_events; ANALYZE event_outbox");
    }

    public async Task<RetentionCounts> CountAsync(int total)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var byCategory = (await connection.QueryAsync<(string Category, long Count)>(
            $"""
            SELECT {Category} AS category, count(*) AS count
            FROM (SELECT substr(event_id, 5)::int AS n FROM webhook_events) AS x
            GROUP BY 1
            """,
            new { oldCount = OldCount(total) })).ToDictionary(r => r.Category, r => r.Count);
        var processed = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM processed_events");
        var outbox = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM event_outbox");
        return new RetentionCounts(
            byCategory.GetValueOrDefault("deletable"),
            byCategory.GetValueOrDefault("recent"),
            byCategory.GetValueOrDefault("outbox"),
            byCategory.GetValueOrDefault("unprocessed"),
            processed,
            outbox);
    }

    private static int OldCount(int total) => total * 7 / 10;
}
