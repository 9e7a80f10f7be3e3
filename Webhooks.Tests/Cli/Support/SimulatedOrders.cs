using Dapper;
using Npgsql;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli.Support;

/// <summary>What a simulation left in a test schema: the processor's orders and the receiver's stored events.</summary>
public sealed class SimulatedOrders(string connectionString)
{
    /// <summary>The status of each of <paramref name="orderIds"/> (missing when the processor has not created it).</summary>
    public async Task<Dictionary<string, string>> StatusesAsync(IEnumerable<string> orderIds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(string OrderId, string Status)>(
            "SELECT order_id, status FROM orders WHERE order_id = ANY(@ids)", new { ids = orderIds.ToArray() });
        return rows.ToDictionary(r => r.OrderId, r => r.Status);
    }

    /// <summary>Waits until every order is in its expected status; returns the statuses last seen.</summary>
    public async Task<Dictionary<string, string>> WaitForAsync(IReadOnlyDictionary<string, string> expected, TimeSpan timeout)
    {
        var seen = new Dictionary<string, string>();
        await Eventually.TrueAsync(
            async () =>
            {
                seen = await StatusesAsync(expected.Keys);
                return expected.All(e => seen.GetValueOrDefault(e.Key) == e.Value);
            },
            timeout);
        return seen;
    }

    /// <summary>The stored event types of each order, in the order the receiver stored them.</summary>
    public async Task<Dictionary<string, List<string>>> StoredTypesByOrderAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(string? OrderId, string? Type)>(
            """
            SELECT convert_from(body, 'UTF8')::jsonb #>> '{data,object,metadata,order_id}', event_type
            FROM webhook_events ORDER BY id
            """);
        return rows.Where(r => r.OrderId is not null)
            .GroupBy(r => r.OrderId!)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Type ?? "").ToList());
    }

    public async Task<long> StoredEventCountAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM webhook_events");
    }
}
