using Dapper;
using Npgsql;

namespace Webhooks.Tests.Infrastructure;

/// <summary>A PostgreSQL schema per test host, so tests sharing one database never see each other's rows.</summary>
public static class TestSchema
{
    public static string Create()
    {
        var schema = $"test_{Guid.NewGuid():N}"[..21];
        using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
        connection.Execute($"CREATE SCHEMA {schema}");
        return schema;
    }

    /// <summary>The connection string with the schema first on the search path (where the migrations create their tables).</summary>
    public static string ConnectionString(string baseConnectionString, string schema)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(baseConnectionString) { SearchPath = schema }.ConnectionString;
        }
        catch (ArgumentException)
        {
            // A deliberately broken connection string (start-up validation tests) stays as it is.
            return baseConnectionString;
        }
    }

    public static void Drop(string schema)
    {
        try
        {
            using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
            connection.Execute($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
        catch (NpgsqlException)
        {
            // Best effort: a leftover schema costs disk, never a test's correctness.
        }
    }
}
