using Dapper;
using Npgsql;

namespace Webhooks.Processor.DeadLetters;

/// <summary>The SQL of <c>dead_letter_alerts</c>, and what the CLI's audit says about replays of the same messages.</summary>
internal static class DeadLetterAlertsTable
{
    public static async Task<IReadOnlyList<DeadLetterAlert>> DueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string queueName, int limit, CancellationToken cancellationToken)
    {
        var due = (await connection.QueryAsync<DeadLetterAlert>(new CommandDefinition(
            """
            SELECT fault_id AS FaultId, message_id AS MessageId, provider AS Provider, event_id AS EventId, event_type AS EventType,
                   exception_type AS ExceptionType, reason AS Reason, failed_at AS FailedAt, recorded_at AS RecordedAt
            FROM dead_letter_alerts
            WHERE queue_name = @queueName AND notified_at IS NULL
            ORDER BY recorded_at, fault_id
            LIMIT @limit
            """,
            new { queueName, limit },
            transaction,
            cancellationToken: cancellationToken))).AsList();
        return await WithEarlierFailuresAsync(connection, transaction, due, cancellationToken);
    }

    public static Task MarkNotifiedAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IEnumerable<Guid> faultIds,
        DateTimeOffset now,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE dead_letter_alerts SET notified_at = @now WHERE fault_id = ANY(@faultIds)",
            new { faultIds = faultIds.ToArray(), now = now.ToUniversalTime() },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>
    /// Marks each alert whose message failed before (a replayed message that failed again) with its
    /// first alert and the latest replay recorded since its previous failure. Two statements for the
    /// whole batch, not two per alert.
    /// </summary>
    private static async Task<IReadOnlyList<DeadLetterAlert>> WithEarlierFailuresAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<DeadLetterAlert> due, CancellationToken cancellationToken)
    {
        var messageIds = due.Where(a => a.MessageId is not null).Select(a => a.MessageId!.Value).Distinct().ToArray();
        if (messageIds.Length == 0)
        {
            return due;
        }

        var history = (await connection.QueryAsync<(Guid FaultId, Guid MessageId, DateTime FailedAt, DateTime RecordedAt, DateTime? NotifiedAt)>(
            new CommandDefinition(
                """
                SELECT fault_id, message_id, failed_at, recorded_at, notified_at
                FROM dead_letter_alerts
                WHERE message_id = ANY(@messageIds)
                """,
                new { messageIds },
                transaction,
                cancellationToken: cancellationToken))).AsList();
        var earlier = due.ToDictionary(
            a => a.FaultId,
            a => history.Where(h => h.MessageId == a.MessageId && h.FaultId != a.FaultId && h.RecordedAt < a.RecordedAt).ToList());
        if (earlier.Values.All(e => e.Count == 0))
        {
            return due;
        }

        var replays = (await connection.QueryAsync<(DateTime OccurredAt, string OsUser, string[] ItemIds)>(new CommandDefinition(
            """
            SELECT occurred_at, os_user, item_ids
            FROM cli_audit
            WHERE action = 'dlq replay' AND item_ids && @messageIds
            """,
            new { messageIds = messageIds.Select(id => id.ToString("D")).ToArray() },
            transaction,
            cancellationToken: cancellationToken))).AsList();

        return [.. due.Select(alert =>
        {
            var before = earlier[alert.FaultId];
            if (before.Count == 0)
            {
                return alert;
            }

            // The replay that sent it back: the latest one recorded since its previous failure.
            var previous = before.MaxBy(h => h.RecordedAt);
            var id = alert.MessageId!.Value.ToString("D");
            var replay = replays
                .Where(r => r.OccurredAt >= previous.FailedAt && r.ItemIds.Contains(id, StringComparer.OrdinalIgnoreCase))
                .OrderByDescending(r => r.OccurredAt)
                .FirstOrDefault();
            return alert with
            {
                Earlier = new EarlierFailure(before.Min(h => h.NotifiedAt), replay.ItemIds is null ? null : replay.OccurredAt, replay.OsUser),
            };
        })];
    }
}
