using Dapper;
using Npgsql;

namespace Webhooks.Processor.DeadLetters;

/// <summary>The SQL of <c>dead_letter_alerts</c>.</summary>
internal static class DeadLetterAlertsTable
{
    public static async Task<IReadOnlyList<DeadLetterAlert>> DueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string queueName, int limit, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<DeadLetterAlert>(new CommandDefinition(
            """
            SELECT fault_id AS FaultId, message_id AS MessageId, provider AS Provider, event_id AS EventId, event_type AS EventType,
                   exception_type AS ExceptionType, reason AS Reason, failed_at AS FailedAt
            FROM dead_letter_alerts
            WHERE queue_name = @queueName AND notified_at IS NULL
            ORDER BY recorded_at, fault_id
            LIMIT @limit
            """,
            new { queueName, limit },
            transaction,
            cancellationToken: cancellationToken))).AsList();

    public static Task MarkNotifiedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<Guid> faultIds, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE dead_letter_alerts SET notified_at = @now WHERE fault_id = ANY(@faultIds)",
            new { faultIds = faultIds.ToArray(), now = now.ToUniversalTime() },
            transaction,
            cancellationToken: cancellationToken));
}
