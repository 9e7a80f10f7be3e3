using Npgsql;

namespace Webhooks.Cli.Orders;

/// <summary>The processor's tables as the order verbs read them: a missing one is a sentence that says which and why.</summary>
internal static class OrderTables
{
    public static async Task<T> ReadAsync<T>(NpgsqlDataSource dataSource, Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await read(connection);
        }
        catch (PostgresException ex) when (DatabaseFailure.IsMissingTable(ex) || ex.SqlState == PostgresErrorCodes.UndefinedColumn)
        {
            throw ex.MessageText.Contains("\"orders\"", StringComparison.Ordinal)
                ? new CliException(
                    "There is no orders table in this database: the processor creates it when it first starts (check ConnectionStrings__Postgres).", ex)
                : new CliException(
                    $"The database's schema is older than this CLI ({DatabaseFailure.Describe(ex)}): "
                    + "start a processor or receiver of this version, which applies it.",
                    ex);
        }
    }
}
