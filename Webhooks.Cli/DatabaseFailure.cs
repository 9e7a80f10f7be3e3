using Npgsql;

namespace Webhooks.Cli;

/// <summary>A database failure in words for the one-sentence error, without the connection string's password.</summary>
internal static class DatabaseFailure
{
    public static string Describe(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        var text = exception is PostgresException postgres ? postgres.MessageText : innermost.Message;
        return text.ReplaceLineEndings(" ").TrimEnd('.', ' ');
    }

    /// <summary>The table the services create is missing: point at the service that creates it.</summary>
    public static bool IsMissingTable(Exception exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable };

    public static string Where(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            // Several hosts carry their own ports: "a:5432,b:5432".
            return builder.Host?.Contains(',', StringComparison.Ordinal) == true
                ? $"{builder.Host}/{builder.Database}"
                : $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "the configured server";
        }
    }
}
