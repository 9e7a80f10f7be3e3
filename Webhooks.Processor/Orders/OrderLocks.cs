using Npgsql;
using NpgsqlTypes;

namespace Webhooks.Processor.Orders;

/// <summary>
/// The first statement of every batch: a transaction-scoped advisory lock per order the batch names,
/// taken in one global order (the locks' keys, sorted), before anything is read.
/// </summary>
/// <remarks>
/// Every writer of <c>orders</c> goes through this lock, so the statement that follows sees each of its
/// orders as the last commit left it and nobody can change them until this transaction ends. Orders
/// that do not exist yet are locked the same way (a row lock could not): two processors creating the
/// same order cannot race, and because every batch takes its locks in the same order, two batches
/// never wait for each other in a cycle. Keys are per schema, so deployments (or tests) that share a
/// server in separate schemas do not block each other; two order ids with the same hash merely share a lock.
/// </remarks>
internal static class OrderLocks
{
    // The subquery sorts the keys before the outer query locks them (OFFSET 0 keeps it a subquery).
    private const string Sql =
        """
        SELECT count(pg_advisory_xact_lock(space, key))
        FROM (SELECT DISTINCT hashtext('webhooks:orders:' || current_schema()) AS space, hashtext(order_id) AS key
              FROM unnest(@orderIds) AS order_id
              ORDER BY key
              OFFSET 0) AS keys
        """;

    public static NpgsqlBatchCommand For(IReadOnlyCollection<string> orderIds) => new(Sql)
    {
        Parameters =
        {
            new NpgsqlParameter<string[]>("orderIds", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. orderIds] },
        },
    };
}
