using Dapper;
using Npgsql;

namespace Webhooks.Processor.StuckOrders;

/// <summary>The SQL of the unlinked-event report, on <c>waiting_events</c>: each waiting event is reported once.</summary>
internal static class UnlinkedEventsTable
{
    public static async Task<IReadOnlyList<UnlinkedEvent>> DueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset waitingBefore, int limit, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<UnlinkedEvent>(new CommandDefinition(
            """
            SELECT provider AS Provider, event_id AS EventId, event_type AS EventType, payment_intent_id AS PaymentIntentId, waiting_since AS WaitingSince
            FROM waiting_events
            WHERE alerted_at IS NULL AND waiting_since <= @waitingBefore
            ORDER BY waiting_since, provider, event_id
            LIMIT @limit
            """,
            new { waitingBefore = waitingBefore.ToUniversalTime(), limit },
            transaction,
            cancellationToken: cancellationToken))).AsList();

    public static Task MarkAlertedAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyCollection<UnlinkedEvent> events,
        DateTimeOffset now,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE waiting_events w SET alerted_at = @now
            FROM unnest(@providers, @eventIds) AS e(provider, event_id)
            WHERE w.provider = e.provider AND w.event_id = e.event_id
            """,
            new { providers = events.Select(e => e.Provider).ToArray(), eventIds = events.Select(e => e.EventId).ToArray(), now = now.ToUniversalTime() },
            transaction,
            cancellationToken: cancellationToken));
}
