using Dapper;
using Npgsql;

namespace Webhooks.Processor.Disputes;

/// <summary>The SQL of <c>dispute_alerts</c>. "Now" is always a parameter (the injected clock), never the server's now().</summary>
internal static class DisputeAlertsTable
{
    /// <summary>
    /// A deadline alert for each dispute still open whose deadline is within <paramref name="warning"/>,
    /// unless it was opened that close to its deadline (its opening alert said so already).
    /// </summary>
    public static Task<int> RecordDeadlinesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, TimeSpan warning, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO dispute_alerts (dispute_id, kind, recorded_at)
            SELECT d.dispute_id, 'deadline', @now
            FROM disputes d
            WHERE d.status = 'open' AND d.due_by <= @now + @warning
              AND NOT EXISTS (SELECT FROM dispute_alerts a
                              WHERE a.dispute_id = d.dispute_id AND a.kind = 'opened' AND a.recorded_at >= d.due_by - @warning)
            ON CONFLICT (dispute_id, kind) DO NOTHING
            """,
            new { now = now.ToUniversalTime(), warning },
            transaction,
            cancellationToken: cancellationToken));

    public static async Task<IReadOnlyList<DisputeAlert>> DueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<DisputeAlert>(new CommandDefinition(
            """
            SELECT a.dispute_id AS DisputeId, a.kind AS Kind, d.order_id AS OrderId, d.status AS Status, d.gateway_status AS GatewayStatus,
                   d.amount AS Amount, d.currency AS Currency, d.reason AS Reason, d.due_by AS DueBy, a.recorded_at AS RecordedAt
            FROM dispute_alerts a
            JOIN disputes d ON d.dispute_id = a.dispute_id
            WHERE a.notified_at IS NULL
            ORDER BY a.recorded_at, a.dispute_id, a.kind
            LIMIT @limit
            """,
            new { limit },
            transaction,
            cancellationToken: cancellationToken))).AsList();

    public static Task MarkNotifiedAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyCollection<DisputeAlert> alerts,
        DateTimeOffset now,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE dispute_alerts a SET notified_at = @now
            FROM unnest(@disputeIds, @kinds) AS n(dispute_id, kind)
            WHERE a.dispute_id = n.dispute_id AND a.kind = n.kind
            """,
            new { disputeIds = alerts.Select(a => a.DisputeId).ToArray(), kinds = alerts.Select(a => a.Kind).ToArray(), now = now.ToUniversalTime() },
            transaction,
            cancellationToken: cancellationToken));
}
