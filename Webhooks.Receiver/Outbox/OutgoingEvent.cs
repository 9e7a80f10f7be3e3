using Webhooks.Contracts;

namespace Webhooks.Receiver.Outbox;

/// <summary>One stored event to publish: the message, its stable broker message id and the trace it belongs to.</summary>
public readonly record struct OutgoingEvent(PaymentEventReceived Message, Guid MessageId, string? TraceParent);
