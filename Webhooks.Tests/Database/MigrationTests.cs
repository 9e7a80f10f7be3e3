using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Database;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Database;

public class MigrationTests
{
    [Test]
    public async Task TwoInstancesMigratingAnEmptyDatabaseAtOnce_ApplyEachScriptOnce()
    {
        var database = $"webhooks_migrate_{Guid.NewGuid():N}"[..30];
        await using (var admin = new NpgsqlConnection(TestEnvironment.Postgres))
        {
            await admin.ExecuteAsync($"CREATE DATABASE {database}");
        }

        var connectionString = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Database = database, Pooling = false }.ConnectionString;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
            {
                await using var dataSource = DatabaseServiceCollectionExtensions.CreateDataSource(connectionString);
                var connectionStrings = Options.Create(new ConnectionStringsOptions { Postgres = connectionString });
                var migrator = new DatabaseMigrator(dataSource, connectionStrings, NullLogger<DatabaseMigrator>.Instance);
                await migrator.MigrateAsync(CancellationToken.None);
            })));

            await using var connection = new NpgsqlConnection(connectionString);
            var journal = (await connection.QueryAsync<string>("SELECT scriptname FROM schemaversions")).ToList();
            Assert.That(journal, Is.Unique);
            Assert.That(journal, Has.Some.Contains("0001_webhook_events"));
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM webhook_events"), Is.Zero);
        }
        finally
        {
            await using var admin = new NpgsqlConnection(TestEnvironment.Postgres);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    [Test]
    public async Task SynchronousCommit_IsOnForTheServicesConnections()
    {
        await using var dataSource = DatabaseServiceCollectionExtensions.CreateDataSource(TestEnvironment.Postgres);
        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.That(await connection.ExecuteScalarAsync<string>("SHOW synchronous_commit"), Is.EqualTo("on"));
    }
}
