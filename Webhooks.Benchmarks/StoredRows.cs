using Dapper;
using Npgsql;

namespace Webhooks.Benchmarks;

/// <summary>Counts the rows a run stored, to check that every 200 became exactly one row.</summary>
internal static class StoredRows
{
    public static async Task<long> CountAsync(string schema, string idPrefix)
    {
        var builder = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")) { SearchPath = schema };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM webhook_events WHERE event_id LIKE @pattern", new { pattern = idPrefix + "%" }, commandTimeout: 600);
    }
}
