using Dapper;
using Npgsql;

namespace Webhooks.Processor.Database;

/// <summary>
/// A PostgreSQL advisory lock held by a connection across several transactions (a job that commits
/// in batches), released explicitly or when the connection drops. Named like
/// <see cref="TransactionLock"/>: by job and current schema.
/// </summary>
internal static class SessionLock
{
    private const string Key = "hashtext('webhooks:' || @job || ':' || current_schema())";

    public static Task<bool> TryTakeAsync(NpgsqlConnection connection, string job, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition($"SELECT pg_try_advisory_lock({Key})", new { job }, cancellationToken: cancellationToken));

    public static Task ReleaseAsync(NpgsqlConnection connection, string job) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition($"SELECT pg_advisory_unlock({Key})", new { job }));
}
