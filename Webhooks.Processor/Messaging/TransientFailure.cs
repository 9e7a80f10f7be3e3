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
        // Npgsql's own transient errors (connection failures, timeouts, serialization failures,
        // deadlocks, "too many connections"), the server going down, and the network.
        _ when DatabaseUnavailable.Is(exception) => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}
