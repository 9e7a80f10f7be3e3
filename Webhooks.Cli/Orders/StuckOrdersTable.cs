using Dapper;
using Npgsql;

namespace Webhooks.Cli.Orders;

/// <summary>
/// The stuck-order query: the same condition as the processor's stuck-order alert (status
/// <c>pending</c>, pending since the cut-off or earlier), without the alert's own bookkeeping.
/// </summary>
internal sealed class StuckOrdersTable(NpgsqlDataSource dataSource)
{
    // A screenful is what on-call can act on; the count says how many more there are.
    public const int MaxRows = 1000;

    public async Task<(IReadOnlyList<StuckOrderRow> Rows, long Total)> PendingSinceAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var parameters = new { cutoff = cutoff.ToUniversalTime(), limit = MaxRows };
            var rows = (await connection.QueryAsync<StuckOrderRow>(new CommandDefinition(
                """
                SELECT order_id AS OrderId, status AS Status, pending_since AS PendingSince,
                       last_provider AS LastProvider, last_event_id AS LastEventId, last_event_type AS LastEventType
                FROM orders
                WHERE status = 'pending' AND pending_since <= @cutoff
                ORDER BY pending_since, order_id
                LIMIT @limit
                """,
                parameters,
                cancellationToken: cancellationToken))).AsList();
            var total = rows.Count < MaxRows
                ? rows.Count
                : await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM orders WHERE status = 'pending' AND pending_since <= @cutoff", parameters, cancellationToken: cancellationToken));
            return (rows, total);
        }
        catch (PostgresException ex) when (DatabaseFailure.IsMissingTable(ex))
        {
            throw new CliException("There is no orders table in this database: the processor creates it when it first starts (check ConnectionStrings__Postgres).", ex);
        }
    }
}
