using Dapper;
using Npgsql;

namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>
/// Asks the gateway about the payment intents of stuck orders (the one each order is linked to:
/// <c>payment_intent_links</c>, made by a <c>payment_intent.*</c> event's object id) and records the
/// answer, or why there is none, in <c>gateway_payment_intents</c>, where their diagnosis quotes it.
/// </summary>
public sealed class PaymentIntentChecks(StripeGateway gateway, TimeProvider clock)
{
    public bool IsEnabled => gateway.IsEnabled;

    /// <summary>
    /// Asks about the payment intents of <paramref name="orderIds"/> not asked about within <paramref name="fresh"/>,
    /// at most <paramref name="max"/>; returns how many were asked (answered, or recorded as failed). A failure
    /// that is not about one payment intent (a refused key, the API down after its retries) stops the asking:
    /// every other ask would fail too, and each records that failure.
    /// </summary>
    public async Task<int> CheckAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        IReadOnlyCollection<string> orderIds,
        TimeSpan fresh,
        int max,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        if (!gateway.IsEnabled || orderIds.Count == 0)
        {
            return 0;
        }

        var due = (await connection.QueryAsync<(string OrderId, string PaymentIntentId)>(new CommandDefinition(
            """
            SELECT DISTINCT ON (l.order_id) l.order_id, l.payment_intent_id
            FROM payment_intent_links l
            LEFT JOIN gateway_payment_intents g ON g.payment_intent_id = l.payment_intent_id
            WHERE l.order_id = ANY(@orderIds) AND (g.checked_at IS NULL OR g.checked_at <= @askedBefore)
            ORDER BY l.order_id, l.linked_at
            LIMIT @max
            """,
            new { orderIds = orderIds.ToArray(), askedBefore = (clock.GetUtcNow() - fresh).UtcDateTime, max },
            transaction,
            cancellationToken: cancellationToken))).AsList();
        GatewayException? refused = null;
        foreach (var (orderId, paymentIntentId) in due)
        {
            string? status = null;
            var failure = refused?.Message;
            if (refused is null)
            {
                try
                {
                    status = await gateway.PaymentIntentStatusAsync(paymentIntentId, cancellationToken);
                }
                catch (GatewayException ex)
                {
                    failure = ex.Message;
                    // Only "no such payment intent" is about this one; anything else (a refused key, Stripe down
                    // after its retries) would fail every other ask too, and the scan holds its lock meanwhile.
                    if (ex.Kind != GatewayFailureKind.Rejected)
                    {
                        refused = ex;
                    }
                }
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO gateway_payment_intents (payment_intent_id, order_id, status, checked_at, failure)
                VALUES (@paymentIntentId, @orderId, @status, @now, @failure)
                ON CONFLICT (payment_intent_id) DO UPDATE
                SET status = coalesce(EXCLUDED.status, gateway_payment_intents.status), checked_at = EXCLUDED.checked_at, failure = EXCLUDED.failure
                """,
                new { paymentIntentId, orderId, status, now = clock.GetUtcNow().UtcDateTime, failure },
                transaction,
                cancellationToken: CancellationToken.None));
        }

        return due.Count;
    }
}
