using Dapper;
using Npgsql;

namespace Webhooks.Cli.Events;

/// <summary>The receiver's store as the CLI reads it, and the outbox it refills; all SQL parameterised.</summary>
internal sealed class StoredEventsTable(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        e.id AS Id, e.provider AS Provider, e.event_id AS EventId, e.event_type AS EventType,
        e.received_at AS ReceivedAt, e.message_id AS MessageId
        """;

    public async Task<IReadOnlyList<StoredEventRow>> ListAsync(
        string? provider, string? type, DateTimeOffset? since, int limit, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"""
            SELECT {Columns}
            FROM webhook_events e
            WHERE (@provider::text IS NULL OR e.provider = @provider)
              AND (@type::text IS NULL OR e.event_type = @type)
              AND (@since::timestamptz IS NULL OR e.received_at >= @since)
            ORDER BY e.received_at DESC, e.id DESC
            LIMIT @limit
            """,
            new { provider, type, since = since?.ToUniversalTime(), limit },
            cancellationToken);

    public async Task<StoredEventRow?> GetAsync(string provider, string eventId, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"""
            SELECT {Columns}, e.headers::text AS Headers, e.body AS Body,
                   o.attempts AS OutboxAttempts, o.next_attempt_at AS OutboxNextAttemptAt, o.last_error AS OutboxLastError
            FROM webhook_events e
            LEFT JOIN event_outbox o ON o.event_row_id = e.id
            WHERE e.provider = @provider AND e.event_id = @eventId
            """,
            new { provider, eventId },
            cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<StoredEventRow>> FindAsync(string provider, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken) =>
        QueryAsync(
            $"""
            SELECT {Columns}
            FROM webhook_events e
            WHERE e.provider = @provider AND e.event_id = ANY(@eventIds)
            ORDER BY e.received_at, e.id
            """,
            new { provider, eventIds = eventIds.ToArray() },
            cancellationToken);

    /// <summary>Events received in [<paramref name="since"/>, <paramref name="until"/>), oldest first.</summary>
    public Task<IReadOnlyList<StoredEventRow>> RangeAsync(DateTimeOffset since, DateTimeOffset? until, string? provider, CancellationToken cancellationToken) =>
        QueryAsync(
            $"""
            SELECT {Columns}
            FROM webhook_events e
            WHERE e.received_at >= @since
              AND (@until::timestamptz IS NULL OR e.received_at < @until)
              AND (@provider::text IS NULL OR e.provider = @provider)
            ORDER BY e.received_at, e.id
            """,
            new { since = since.ToUniversalTime(), until = until?.ToUniversalTime(), provider },
            cancellationToken);

    /// <summary>
    /// Puts the events back in the outbox, where the receivers' relay publishes them as it publishes
    /// every stored event. An event already waiting there keeps its row (and its place).
    /// </summary>
    public static Task<int> QueueForPublishingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long[] rowIds, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO event_outbox (event_row_id)
            SELECT id FROM unnest(@rowIds) AS id
            ON CONFLICT (event_row_id) DO NOTHING
            """,
            new { rowIds },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>How many of these events still wait in the outbox (not yet confirmed by the broker).</summary>
    public async Task<int> CountWaitingAsync(long[] rowIds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*)::int FROM event_outbox WHERE event_row_id = ANY(@rowIds)",
            new { rowIds },
            cancellationToken: cancellationToken));
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => dataSource.OpenConnectionAsync(cancellationToken);

    private async Task<IReadOnlyList<StoredEventRow>> QueryAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return (await connection.QueryAsync<StoredEventRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
        }
        catch (PostgresException ex) when (DatabaseFailure.IsMissingTable(ex))
        {
            throw new CliException(
                "There is no webhook_events table in this database: "
                + "has a receiver ever started against it (check ConnectionStrings__Postgres)?",
                ex);
        }
    }
}
