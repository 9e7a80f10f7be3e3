using System.Collections.Concurrent;
using Webhooks.Processor.Orders;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Fails each event's first <c>failures</c> attempts with a transient exception, then lets the real applier run.</summary>
public sealed class FlakyOrderEventApplier(IOrderEventApplier inner, int failures, Func<Exception> transient) : IOrderEventApplier
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    public int AttemptsFor(string eventId) => _attempts.GetValueOrDefault(eventId);

    public Task<ApplyResult> ApplyAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderEvent);
        var attempt = _attempts.AddOrUpdate(orderEvent.EventId, 1, (_, n) => n + 1);
        return attempt <= failures ? throw transient() : inner.ApplyAsync(orderEvent, cancellationToken);
    }
}
