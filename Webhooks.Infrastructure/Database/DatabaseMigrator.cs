using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhooks.Infrastructure.Database;

/// <summary>
/// Applies the versioned SQL scripts in <c>Database/Migrations</c> with DbUp. Several instances may
/// start at once, so the whole upgrade runs under one PostgreSQL advisory lock: the second
/// instance waits, then finds every script already journalled.
/// </summary>
public sealed partial class DatabaseMigrator(
    NpgsqlDataSource dataSource,
    IOptions<ConnectionStringsOptions> connectionStrings,
    ILogger<DatabaseMigrator> logger)
{
    // An arbitrary, fixed 64-bit key that names "the webhooks schema migration" for pg_advisory_lock.
    private const long MigrationLockKey = 0x5745_4248_4F4F_4B53; // "WEBHOOKS"

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", MigrationLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(DatabaseServiceCollectionExtensions.Prepare(connectionStrings.Value.Postgres))
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.EndsWith(".sql", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Database migration failed in script '{result.ErrorScript?.Name}': {result.Error.Message}", result.Error);
            }

            foreach (var script in result.Scripts)
            {
                LogApplied(script.Name);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migration {Script}")]
    private partial void LogApplied(string script);
}
