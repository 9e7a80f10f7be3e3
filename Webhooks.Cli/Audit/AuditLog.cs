using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Cli.Output;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Database;

namespace Webhooks.Cli.Audit;

/// <summary>
/// Every replay and purge is written to the <c>cli_audit</c> table and to the log on standard error:
/// who (the operating-system user), when, what and how many. A change that cannot be recorded is
/// not started: <see cref="EnsureReadyAsync"/> runs first.
/// </summary>
internal sealed class AuditLog(
    NpgsqlDataSource dataSource,
    IOptions<ConnectionStringsOptions> connectionStrings,
    CliEnvironment environment,
    CliOutput output)
{
    private const string InsertSql = """
        INSERT INTO cli_audit (occurred_at, os_user, host, action, target, selection, selected, succeeded, failed, item_ids, detail)
        VALUES (@occurredAt, @osUser, @host, @action, @target, @selection, @selected, @succeeded, @failed, @itemIds, @detail)
        """;

    /// <summary>
    /// Applies the schema as the services do at start (the same scripts, under the same advisory
    /// lock), so that the audit table exists even where only older services have run.
    /// </summary>
    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var migrator = new DatabaseMigrator(dataSource, connectionStrings, NullLogger<DatabaseMigrator>.Instance);
            await migrator.MigrateAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            throw new CliException($"Nothing was changed, because the audit table in PostgreSQL cannot be written: {DatabaseFailure.Describe(ex)}.", ex);
        }
    }

    /// <summary>Records a change that is already done; a failure here is reported, the change stays.</summary>
    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        WriteLogLine(entry);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, Parameters(entry), cancellationToken: cancellationToken));
        }
        catch (NpgsqlException ex)
        {
            throw new CliException(
                $"The {entry.Action} was done ({entry.Succeeded} of {entry.Selected}) "
                + $"but could not be recorded in cli_audit: {DatabaseFailure.Describe(ex)}.",
                ex);
        }
    }

    /// <summary>Records a change inside the caller's transaction: both commit, or neither.</summary>
    public async Task RecordAsync(AuditEntry entry, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, Parameters(entry), transaction, cancellationToken: cancellationToken));
        WriteLogLine(entry);
    }

    private object Parameters(AuditEntry entry) => new
    {
        occurredAt = environment.TimeProvider.GetUtcNow().ToUniversalTime(),
        osUser = environment.UserName,
        host = Environment.MachineName,
        action = entry.Action,
        target = entry.Target,
        selection = entry.Selection,
        selected = entry.Selected,
        succeeded = entry.Succeeded,
        failed = entry.Failed,
        itemIds = entry.ItemIds.ToArray(),
        detail = entry.Detail,
    };

    private void WriteLogLine(AuditEntry entry) =>
        output.Log($"audit: {environment.UserName}@{Environment.MachineName} {entry.Action} {entry.Selection} on {entry.Target}: "
            + $"{entry.Succeeded} of {entry.Selected} done, {entry.Failed} failed{(entry.Detail is null ? "" : $" ({entry.Detail})")}");
}
