using System.Net.Sockets;
using Npgsql;
using Webhooks.Infrastructure.Batching;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// Which failures are worth retrying: the database or the network being away for a while. Anything
/// else (a payload that cannot be read, a bug) fails the same way every time and is dead-lettered
/// at once, where it is visible and can be replayed after a fix.
/// </summary>
public static class TransientFailure
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        PermanentEventException => false,
        TransientEventException => true,
        GroupCommitStoppedException => true,
        // Npgsql knows its own: connection failures, timeouts, serialization failures, deadlocks,
        // "too many connections", "the database system is starting up".
        NpgsqlException { IsTransient: true } => true,
        // The server going down under an open connection; Npgsql does not count these as transient.
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } => true,
        PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal) => true,
        TimeoutException or SocketException or IOException => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}
