using Dapper;
using Npgsql;

namespace Webhooks.Processor.Orders;

/// <summary>The SQL of <c>processed_events</c>: one row per consumed event, keyed by provider and event id.</summary>
internal static class ProcessedEventsTable
{
    public static Task<bool> ExistsAsync(NpgsqlConnection connection, string provider, string eventId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM processed_events WHERE provider = @provider AND event_id = @eventId)",
            new { provider, eventId },
            cancellationToken: cancellationToken));

    /// <summary>Which of these (provider, event id) keys are recorded already: one query for a whole batch.</summary>
    public static async Task<HashSet<(string Provider, string EventId)>> RecordedAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyCollection<(string Provider, string EventId)> keys,
        CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT provider, event_id FROM processed_events WHERE (provider, event_id) IN (SELECT * FROM unnest(@providers, @eventIds))",
            new { providers = keys.Select(k => k.Provider).ToArray(), eventIds = keys.Select(k => k.EventId).ToArray() },
            transaction,
            cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>
    /// Records the event with its outcome; false when it is recorded already, in which case the
    /// caller rolls back whatever it did to the order.
    /// </summary>
    public static async Task<bool> TryRecordAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        OrderEvent orderEvent,
        EventOutcome outcome,
        string? detail,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO processed_events (provider, event_id, event_type, order_id, outcome, detail, processed_at)
            VALUES (@provider, @eventId, @eventType, @orderId, @outcome, @detail, @now)
            ON CONFLICT (provider, event_id) DO NOTHING
            """,
            new
            {
                provider = orderEvent.Provider,
                eventId = orderEvent.EventId,
                eventType = orderEvent.EventType,
                orderId = orderEvent.OrderId,
                outcome = outcome switch
                {
                    EventOutcome.Applied => "applied",
                    EventOutcome.Ignored => "ignored",
                    EventOutcome.Unchanged => "unchanged",
                    _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Only applied, ignored and unchanged are recorded."),
                },
                detail,
                now = now.ToUniversalTime(),
            },
            transaction,
            cancellationToken: cancellationToken));
        return inserted == 1;
    }
}
