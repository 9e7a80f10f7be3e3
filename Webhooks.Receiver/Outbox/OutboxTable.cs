using Dapper;
using Npgsql;

namespace Webhooks.Receiver.Outbox;

/// <summary>The relay's SQL against <c>event_outbox</c>, all parameterised.</summary>
internal static class OutboxTable
{
    // SKIP LOCKED lets several receivers relay side by side without publishing the same row twice at once.
    private const string ClaimSql = """
        SELECT e.id AS Id, e.provider AS Provider, e.event_id AS EventId, e.event_type AS EventType,
               e.received_at AS ReceivedAt, e.message_id AS MessageId, e.body AS Body, o.attempts AS Attempts,
               e.trace_parent AS TraceParent
        FROM event_outbox o
        JOIN webhook_events e ON e.id = o.event_row_id
        WHERE o.next_attempt_at <= now()
        ORDER BY o.next_attempt_at, o.event_row_id
        LIMIT @limit
        FOR UPDATE OF o SKIP LOCKED
        """;

    // Losing this delete in a crash only means one more (idempotent) publish of the same message,
    // so it need not wait for the disk: durability is spent where it matters, on the event itself.
    private const string DeleteSql = """
        SET LOCAL synchronous_commit = off;
        DELETE FROM event_outbox WHERE event_row_id = ANY(@ids);
        """;

    private const string DeferSql = """
        UPDATE event_outbox
        SET attempts = attempts + 1,
            next_attempt_at = now() + make_interval(secs => least(@maxDelaySeconds, power(2, least(attempts, 16)))),
            last_error = @error
        WHERE event_row_id = ANY(@ids)
        """;

    public static async Task<List<OutboxRow>> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<OutboxRow>(new CommandDefinition(ClaimSql, new { limit }, transaction, cancellationToken: cancellationToken))).AsList();

    public static Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long[] ids, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { ids }, transaction, cancellationToken: cancellationToken));

    /// <summary>Removes published rows in a transaction of its own (the fast lane holds no claim).</summary>
    public static async Task DeleteAsync(NpgsqlDataSource dataSource, long[] ids, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await DeleteAsync(connection, transaction, ids, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public static Task DeferAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long[] ids,
        string error,
        double maxDelaySeconds,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(DeferSql, new { ids, error, maxDelaySeconds }, transaction, cancellationToken: cancellationToken));
}
