using Npgsql;

namespace Webhooks.Infrastructure.Database;

/// <summary>
/// Whether a failure means that no usable server answered for now (down, restarting, or, with
/// several hosts, none of them the primary yet), so that waiting and trying again is the answer.
/// </summary>
public static class DatabaseUnavailable
{
    public static bool Is(Exception exception)
    {
        for (var failure = exception; failure is not null; failure = failure.InnerException)
        {
            if (IsItself(failure))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsItself(Exception failure) => failure switch
    {
        // The server shutting down or starting up, or the connection lost.
        PostgresException postgres => postgres.SqlState is "57P01" or "57P02" or "57P03" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException { IsTransient: true } => true,
        // A multi-host data source found no primary: "No suitable host was found" (no inner exception)
        // while the hosts it knows are a standby and one marked offline, or every host's failure together.
        NpgsqlException { InnerException: null } npgsql => npgsql.Message.Contains("suitable host", StringComparison.Ordinal),
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Is),
        TimeoutException or System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };
}
