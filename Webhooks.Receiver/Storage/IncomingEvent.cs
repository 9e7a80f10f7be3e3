using System.Text;
using Webhooks.Contracts;

namespace Webhooks.Receiver.Storage;

/// <summary>An authentic event on its way into the store.</summary>
public sealed record IncomingEvent(
    string Provider,
    string EventId,
    string? EventType,
    DateTimeOffset ReceivedAt,
    string HeadersJson,
    byte[] Body,
    string? TraceParent)
{
    public PaymentEventReceived ToMessage(long rowId) =>
        new(rowId, Provider, EventId, EventType, ReceivedAt, Encoding.UTF8.GetString(Body));
}
