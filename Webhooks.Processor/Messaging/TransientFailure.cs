using Npgsql;
using Webhooks.Infrastructure.Batching;
using Webhooks.Infrastructure.Database;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// Which failures are worth retrying: the database or the network being away for a while (a
/// failover's "no suitable host" included), and the processor shutting down. Anything else (a
/// payload that cannot be read, a bug) fails the same way every time and is dead-lettered at once,
/// where it is visible and can be replayed after a fix.
/// </summary>
public static class TransientFailure
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        PermanentEventException => false,
        TransientEventException or GroupCommitStoppedException => true,
        // Npgsql's own: connection failures, timeouts, serialization failures, deadlocks, "too many connections".
        NpgsqlException { IsTransient: true } => true,
        // The server going down or starting up, a failover's "no suitable host", the network.
        _ when DatabaseUnavailable.Is(exception) => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}
