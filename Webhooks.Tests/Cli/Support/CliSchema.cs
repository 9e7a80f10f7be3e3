using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Database;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli.Support;

/// <summary>A PostgreSQL schema of the test's own for the CLI's audit table and stored events; dropped at the end.</summary>
public sealed class CliSchema : IAsyncDisposable
{
    private readonly bool _owned;

    private CliSchema(string name, bool owned = true)
    {
        Name = name;
        _owned = owned;
        ConnectionString = TestSchema.ConnectionString(TestEnvironment.Postgres, name);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>An empty schema: the CLI applies the migrations itself before its first audit row.</summary>
    public static CliSchema Create() => new(TestSchema.Create());

    /// <summary>A schema someone else made (a receiver under test): looked at, never dropped from here.</summary>
    public static CliSchema Existing(string name) => new(name, owned: false);

    /// <summary>A schema with every migration applied, as after a service's start.</summary>
    public static async Task<CliSchema> CreateMigratedAsync()
    {
        var schema = Create();
        await using var dataSource = DatabaseServiceCollectionExtensions.CreateDataSource(schema.ConnectionString);
        var connectionStrings = Options.Create(new ConnectionStringsOptions { Postgres = schema.ConnectionString });
        var migrator = new DatabaseMigrator(dataSource, connectionStrings, NullLogger<DatabaseMigrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
        return schema;
    }

    public CliSettings Settings(string? queueName = null, string? exchange = null) => CliSettings.ForSchema(Name, queueName, exchange);

    public async Task<List<AuditRow>> AuditAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.QueryAsync<AuditRow>(
            """
            SELECT occurred_at AS OccurredAt, os_user AS OsUser, host AS Host, action AS Action, target AS Target,
                   selection AS Selection, selected AS Selected, succeeded AS Succeeded, failed AS Failed, item_ids AS ItemIds
            FROM cli_audit ORDER BY id
            """)).AsList();
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"no value from: {sql}");
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    public ValueTask DisposeAsync()
    {
        if (_owned)
        {
            TestSchema.Drop(Name);
        }

        return ValueTask.CompletedTask;
    }
}
