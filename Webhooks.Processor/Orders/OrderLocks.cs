using Npgsql;
using NpgsqlTypes;

namespace Webhooks.Processor.Orders;

/// <summary>
/// The first statement of every batch: a transaction-scoped advisory lock per order and per payment
/// intent the batch names, plus one per order already linked to those payment intents, all taken in
/// one global order (the locks' keys, sorted), before anything else is read.
/// </summary>
/// <remarks>
/// Every writer of <c>orders</c> goes through these locks, so the statement that follows sees each of
/// its orders as the last commit left it and nobody can change them until this transaction ends. Orders
/// that do not exist yet are locked the same way (a row lock could not): two processors creating the
/// same order cannot race, and because every batch takes its locks in the same order, two batches
/// never wait for each other in a cycle. The payment intent's lock serialises an event that must wait
/// for its payment intent with the event that links it: whichever commits second sees the other, so a
/// waiting event is never stranded. Links never change, so reading them before the locks is safe; a
/// link created between that read and the locks names an order this batch did not lock, which the
/// apply statement's merges (ranks, maxima, versions against the current row) still get right.
/// Keys are per schema, so deployments (or tests) that share a server in separate schemas do not block
/// each other; two ids with the same hash merely share a lock.
/// </remarks>
internal static class OrderLocks
{
    // The subquery sorts the keys before the outer query locks them (OFFSET 0 keeps it a subquery).
    private const string Sql =
        """
        SELECT count(pg_advisory_xact_lock(space, key))
        FROM (SELECT DISTINCT space, key
              FROM (SELECT hashtext('webhooks:orders:' || current_schema()) AS space, hashtext(order_id) AS key
                    FROM (SELECT unnest(@orderIds)
                          UNION
                          SELECT l.order_id FROM payment_intent_links l WHERE l.payment_intent_id = ANY(@paymentIntentIds)) AS o(order_id)
                    UNION ALL
                    SELECT hashtext('webhooks:payment-intents:' || current_schema()), hashtext(payment_intent_id)
                    FROM unnest(@paymentIntentIds) AS payment_intent_id) AS k
              ORDER BY space, key
              OFFSET 0) AS keys
        """;

    public static NpgsqlBatchCommand For(IReadOnlyCollection<string> orderIds, IReadOnlyCollection<string> paymentIntentIds) => new(Sql)
    {
        Parameters =
        {
            new NpgsqlParameter<string[]>("orderIds", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. orderIds] },
            new NpgsqlParameter<string[]>("paymentIntentIds", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. paymentIntentIds] },
        },
    };
}
