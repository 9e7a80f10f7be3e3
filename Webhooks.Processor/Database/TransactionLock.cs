using Dapper;
using Npgsql;

namespace Webhooks.Processor.Database;

/// <summary>
/// A PostgreSQL advisory lock held until the transaction ends, so that of several processors only
/// one does a periodic job in a round. Named by a job and the current schema: deployments (or
/// test runs) that share a server in separate schemas do not block each other.
/// </summary>
internal static class TransactionLock
{
    /// <summary>Waits for the lock: for a job that must run now (woken), after the one holding it.</summary>
    public static Task TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string job, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext('webhooks:' || @job || ':' || current_schema()))",
            new { job },
            transaction,
            cancellationToken: cancellationToken));

    public static Task<bool> TryTakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string job, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT pg_try_advisory_xact_lock(hashtext('webhooks:' || @job || ':' || current_schema()))",
            new { job },
            transaction,
            cancellationToken: cancellationToken));
}
