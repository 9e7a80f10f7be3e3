using Dapper;
using Npgsql;

namespace Webhooks.Tests.Infrastructure;

/// <summary>An order's row lock held by a transaction of the test's own, to stop the processor at that row.</summary>
public sealed class RowLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private RowLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<RowLock> OnOrderAsync(string connectionString, string orderId)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        var locked = await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM (SELECT 1 FROM orders WHERE order_id = @orderId FOR UPDATE) o", new { orderId }, transaction);
        Assert.That(locked, Is.EqualTo(1), $"order {orderId} exists to be locked");
        return new RowLock(connection, transaction);
    }

    /// <summary>Waits until a session named <paramref name="applicationName"/> waits for a lock (this one, in the tests).</summary>
    public static Task<bool> WaitForWaiterAsync(string connectionString, string applicationName) =>
        Eventually.TrueAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            return await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = @applicationName AND wait_event_type = 'Lock'", new { applicationName }) > 0;
        }, TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
