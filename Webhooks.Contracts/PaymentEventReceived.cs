namespace Webhooks.Contracts;

/// <summary>
/// An authentic webhook event that the receiver has committed to its store. Published at least
/// once per stored event, so consumers must be idempotent on <see cref="Provider"/> and <see cref="EventId"/>.
/// </summary>
/// <param name="StoredEventId">The row id in the receiver's store (<c>webhook_events.id</c>).</param>
/// <param name="Provider">The configured provider name the event arrived for, e.g. <c>stripe</c>.</param>
/// <param name="EventId">The idempotency key: unique per provider.</param>
/// <param name="EventType">The event's <c>type</c> field, when it has one.</param>
/// <param name="ReceivedAt">When the receiver accepted the event.</param>
/// <param name="Payload">The raw body as UTF-8 text, exactly as the gateway signed it.</param>
public sealed record PaymentEventReceived(
    long StoredEventId,
    string Provider,
    string EventId,
    string? EventType,
    DateTimeOffset ReceivedAt,
    string Payload);
