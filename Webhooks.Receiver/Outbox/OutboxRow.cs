using System.Text;
using Webhooks.Contracts;

namespace Webhooks.Receiver.Outbox;

/// <summary>A stored event the relay has claimed for publishing.</summary>
internal sealed record OutboxRow(
    long Id,
    string Provider,
    string EventId,
    string? EventType,
    DateTime ReceivedAt,
    Guid MessageId,
    byte[] Body,
    int Attempts,
    string? TraceParent)
{
    public PaymentEventReceived ToMessage() => new(
        Id,
        Provider,
        EventId,
        EventType,
        new DateTimeOffset(DateTime.SpecifyKind(ReceivedAt, DateTimeKind.Utc)),
        Encoding.UTF8.GetString(Body));
}
