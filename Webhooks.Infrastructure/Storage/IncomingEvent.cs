using System.Text;
using Webhooks.Contracts;

namespace Webhooks.Infrastructure.Storage;

/// <summary>
/// An authentic event on its way into the store: received by the receiver, or recovered from the
/// gateway's API by reconciliation. <see cref="OrderRef"/> and <see cref="PaymentIntentRef"/> are what
/// the body names (<see cref="EventReferences"/>), recorded so that an order's events are found by index.
/// </summary>
public sealed record IncomingEvent(
    string Provider,
    string EventId,
    string? EventType,
    DateTimeOffset ReceivedAt,
    string HeadersJson,
    byte[] Body,
    string? TraceParent)
{
    public string? OrderRef { get; init; }

    public string? PaymentIntentRef { get; init; }

    public PaymentEventReceived ToMessage(long rowId) =>
        new(rowId, Provider, EventId, EventType, ReceivedAt, Encoding.UTF8.GetString(Body));
}
