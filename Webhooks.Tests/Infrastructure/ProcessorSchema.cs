using Npgsql;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL schema of the test's own on the shared server: the processor under test applies the
/// migrations into it (through <c>Search Path</c>) and sees no other test's orders or alerts.
/// </summary>
public sealed class ProcessorSchema : IAsyncDisposable
{
    private ProcessorSchema(string name)
    {
        Name = name;
        ConnectionString = WithSearchPath(TestEnvironment.Postgres, name);
    }

    public string Name { get; }

    /// <summary>The test server's connection string with this schema as the only search path.</summary>
    public string ConnectionString { get; }

    public static async Task<ProcessorSchema> CreateAsync()
    {
        var schema = new ProcessorSchema(TestEnvironment.UniqueName("test_processor").Replace('-', '_'));
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE SCHEMA \"{schema.Name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return schema;
    }

    /// <summary>The same schema reached through another host and port (a <see cref="TcpProxy"/>).</summary>
    public string ConnectionStringVia(string host, int port)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Host = host, Port = port };
        return builder.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Best effort: a failed test must not be hidden by its cleanup.
        }
    }

    private static string WithSearchPath(string connectionString, string schema) =>
        new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
}
