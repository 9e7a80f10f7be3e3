using Dapper;
using Npgsql;

namespace Webhooks.Processor.Retention;

/// <summary>
/// The SQL of retention. An event may go when it is older than the cutoff, has no outbox row (the
/// broker confirmed it) and has a <c>processed_events</c> row (the processor consumed it). The
/// cutoff is a parameter from the injected clock, never the server's now().
/// </summary>
internal static class RetentionTable
{
    private const string Deletable =
        """
        e.received_at < @cutoff
        AND NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.event_row_id = e.id)
        AND EXISTS (SELECT 1 FROM processed_events p WHERE p.provider = e.provider AND p.event_id = e.event_id)
        """;

    /// <summary>Exact, not pg_class's estimate: the share safeguard must not depend on when ANALYZE last ran.</summary>
    public static Task<long> CountStoredAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM webhook_events", cancellationToken: cancellationToken));

    public static Task<long> CountDeletableAsync(NpgsqlConnection connection, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM webhook_events e WHERE {Deletable}",
            new { cutoff = cutoff.ToUniversalTime() },
            cancellationToken: cancellationToken));

    /// <summary>
    /// Deletes up to <paramref name="limit"/> deletable events in the caller's transaction. Two
    /// statements on purpose: the first locks the rows (skipping any another session holds), the
    /// second checks the conditions again with a fresh snapshot. An outbox row inserted for one of
    /// them (a replay) either committed before the lock, and the second check sees it, or waits on
    /// the lock for its foreign-key check and then fails; it is never removed by the cascade.
    /// </summary>
    public static async Task<int> DeleteBatchAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        var parameters = new { cutoff = cutoff.ToUniversalTime(), limit };
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT e.id FROM webhook_events e
            WHERE {Deletable}
            ORDER BY e.id
            LIMIT @limit
            FOR UPDATE OF e SKIP LOCKED
            """,
            parameters,
            transaction,
            cancellationToken: cancellationToken))).ToArray();
        if (ids.Length == 0)
        {
            return 0;
        }

        return await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM webhook_events e WHERE e.id = ANY(@ids) AND {Deletable}",
            new { ids, parameters.cutoff },
            transaction,
            cancellationToken: cancellationToken));
    }
}
