using Dapper;
using Npgsql;

namespace Webhooks.Infrastructure.Orders;

/// <summary>
/// The one stuck-order query: orders pending since a cut-off or earlier, longest first, with their alert
/// state, and their diagnosis from the store (<see cref="OrderEvents"/>) and from what the gateway last
/// said (<c>gateway_payment_intents</c>). The processor's alert, <c>orders stuck</c> and <c>orders show</c>
/// use it, so all three name the same orders with the same words. "Now" is always a parameter.
/// </summary>
public static class StuckOrderQuery
{
    private const string Where = """
        o.status = 'pending' AND o.pending_since <= @cutoff
          AND (@escalateBefore::timestamptz IS NULL OR a.order_id IS NULL OR a.last_alerted_at <= @escalateBefore)
        """;

    /// <summary>
    /// Pending since <paramref name="cutoff"/> or earlier, longest first, at most <paramref name="limit"/>;
    /// with <paramref name="escalateBefore"/>, only those never alerted or last alerted then or earlier.
    /// </summary>
    public static async Task<IReadOnlyList<StuckOrder>> PendingAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        DateTimeOffset cutoff,
        DateTimeOffset? escalateBefore,
        int limit,
        CancellationToken cancellationToken) =>
        (await connection.QueryAsync<StuckOrder>(new CommandDefinition(
            $"""
            SELECT o.order_id AS OrderId, o.status AS Status, o.pending_since AS PendingSince,
                   o.last_provider AS LastProvider, o.last_event_id AS LastEventId, o.last_event_type AS LastEventType,
                   coalesce(a.alert_count, 0) AS AlertCount, a.first_alerted_at AS FirstAlertedAt
            FROM orders o
            LEFT JOIN stuck_order_alerts a ON a.order_id = o.order_id
            WHERE {Where}
            ORDER BY o.pending_since, o.order_id
            LIMIT @limit
            """,
            Parameters(cutoff, escalateBefore, limit),
            transaction,
            cancellationToken: cancellationToken))).AsList();

    /// <summary>How many orders <see cref="PendingAsync"/> would name without its limit.</summary>
    public static Task<long> CountAsync(NpgsqlConnection connection, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM orders o LEFT JOIN stuck_order_alerts a ON a.order_id = o.order_id WHERE {Where}",
            Parameters(cutoff, null, 0),
            cancellationToken: cancellationToken));

    /// <summary>The orders with their <see cref="StuckOrder.Diagnosis"/>: two statements for all of them.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The caller's transaction, if any.</param>
    /// <param name="orders">Pending orders.</param>
    /// <param name="gatewayAsked">
    /// Whether reconciliation is on (<c>Reconciliation__Stripe__ApiKey</c>), so that the gateway is asked about stuck orders.
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<IReadOnlyList<StuckOrder>> DiagnoseAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<StuckOrder> orders, bool gatewayAsked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orders);
        if (orders.Count == 0)
        {
            return orders;
        }

        var ids = orders.Select(o => o.OrderId).ToArray();
        var events = await OrderEvents.ForOrdersAsync(connection, transaction, ids, cancellationToken);
        var answers = (await GatewayAnswersAsync(connection, transaction, ids, cancellationToken)).ToLookup(a => a.OrderId, StringComparer.Ordinal);
        return [.. orders.Select(o => o with
        {
            Diagnosis = StuckOrderDiagnoser.Diagnose(o, [.. events[o.OrderId]], answers[o.OrderId].MaxBy(a => a.CheckedAt), gatewayAsked),
        })];
    }

    /// <summary>What the gateway last said about each payment intent linked to these orders.</summary>
    public static async Task<IReadOnlyList<GatewayAnswer>> GatewayAnswersAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<string> orderIds, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<GatewayAnswer>(new CommandDefinition(
            """
            SELECT payment_intent_id AS PaymentIntentId, order_id AS OrderId, status AS Status, checked_at AS CheckedAt, failure AS Failure
            FROM gateway_payment_intents
            WHERE order_id = ANY(@orderIds)
            """,
            new { orderIds = orderIds.ToArray() },
            transaction,
            cancellationToken: cancellationToken))).AsList();

    private static object Parameters(DateTimeOffset cutoff, DateTimeOffset? escalateBefore, int limit) =>
        new { cutoff = cutoff.ToUniversalTime(), escalateBefore = escalateBefore?.ToUniversalTime(), limit };
}
