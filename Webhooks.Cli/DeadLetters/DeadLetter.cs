using RabbitMQ.Client;

namespace Webhooks.Cli.DeadLetters;

/// <summary>
/// One message of the dead-letter queue as MassTransit left it: the original body and properties,
/// plus its <c>MT-Fault-*</c> headers. <see cref="DeliveryTag"/> is only meaningful on the channel
/// that is holding it.
/// </summary>
internal sealed record DeadLetter
{
    public required ulong DeliveryTag { get; init; }

    public required string? MessageId { get; init; }

    public required bool Redelivered { get; init; }

    /// <summary>The message's own properties, copied: what a replayed copy starts from.</summary>
    public required BasicProperties Properties { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Every header in the order the broker gave them, values as text.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    public string? Provider { get; init; }

    public string? EventId { get; init; }

    public string? EventType { get; init; }

    /// <summary>The webhook's raw body, when the message is a <c>PaymentEventReceived</c> envelope.</summary>
    public string? Payload { get; init; }

    public string? Reason => Header(FaultHeaders.Message);

    public string? ExceptionType => Header(FaultHeaders.ExceptionType);

    public string? StackTrace => Header(FaultHeaders.StackTrace);

    public string? InputAddress => Header(FaultHeaders.InputAddress);

    public string? ConsumerType => Header(FaultHeaders.ConsumerType);

    public DateTimeOffset? FailedAt { get; init; }

    /// <summary>Consumption attempts: the first, its in-process retries, and redeliveries.</summary>
    public int Attempts { get; init; }

    /// <summary>The queue the message failed from, by <c>MT-Fault-InputAddress</c>; null when it does not say.</summary>
    public string? InputQueue => FaultHeaders.QueueOf(InputAddress);

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public DeadLetterSummary ToSummary() => new(MessageId, Provider, EventId, EventType, Reason, ExceptionType, FailedAt, Attempts);
}
