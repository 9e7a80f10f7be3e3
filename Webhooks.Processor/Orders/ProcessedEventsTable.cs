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
}
