using Webhooks.Contracts;

namespace Webhooks.Receiver.Outbox;

/// <summary>An event this process has just committed, handed to the fast lane with everything needed to publish it.</summary>
public sealed record FreshEvent(long RowId, Guid MessageId, PaymentEventReceived Message, string? TraceParent);
