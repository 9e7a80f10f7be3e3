using Dapper;
using Npgsql;

namespace Webhooks.Processor.StuckOrders;

/// <summary>The SQL of the backlog alert: its one row in <c>backlog_alerts</c> while it is open, and the backlog's size.</summary>
internal static class BacklogAlertsTable
{
    public const string Name = "processing";

    public static Task<(DateTime FirstAlertedAt, DateTime LastAlertedAt)?> OpenAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<(DateTime, DateTime)?>(new CommandDefinition(
            "SELECT first_alerted_at, last_alerted_at FROM backlog_alerts WHERE name = @name",
            new { name = Name },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>Stored events received since <paramref name="oldest"/> that are neither processed nor dead-lettered, counted up to one past the cap.</summary>
    public static Task<long> SizeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset oldest, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT count(*) FROM (
                SELECT 1 FROM webhook_events e
                WHERE e.received_at >= @oldest
                  AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.provider = e.provider AND p.event_id = e.event_id)
                  AND NOT EXISTS (SELECT 1 FROM dead_letter_alerts d WHERE d.provider = e.provider AND d.event_id = e.event_id)
                LIMIT @limit) AS backlog
            """,
            new { oldest = oldest.UtcDateTime, limit = BacklogAlert.MaxCounted + 1 },
            transaction,
            cancellationToken: cancellationToken));

    public static Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, BacklogAlert backlog, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO backlog_alerts (name, first_alerted_at, last_alerted_at, oldest_received_at, size)
            VALUES (@name, @now, @now, @oldest, @size)
            ON CONFLICT (name) DO UPDATE SET last_alerted_at = EXCLUDED.last_alerted_at, oldest_received_at = EXCLUDED.oldest_received_at, size = EXCLUDED.size
            """,
            new { name = Name, now = now.UtcDateTime, oldest = backlog.OldestReceivedAt.UtcDateTime, size = backlog.Size },
            transaction,
            cancellationToken: cancellationToken));

    public static Task ClearAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM backlog_alerts WHERE name = @name", new { name = Name }, transaction, cancellationToken: cancellationToken));
}
