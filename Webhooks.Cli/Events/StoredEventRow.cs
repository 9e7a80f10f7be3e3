namespace Webhooks.Cli.Events;

/// <summary>A stored event as read from <c>webhook_events</c> (with its outbox state when it waits there).</summary>
internal sealed record StoredEventRow
{
    public long Id { get; init; }

    public string Provider { get; init; } = "";

    public string EventId { get; init; } = "";

    public string? EventType { get; init; }

    public DateTime ReceivedAt { get; init; }

    public Guid MessageId { get; init; }

    public string? Headers { get; init; }

    public byte[]? Body { get; init; }

    public int? OutboxAttempts { get; init; }

    public DateTime? OutboxNextAttemptAt { get; init; }

    public string? OutboxLastError { get; init; }

    /// <summary>Npgsql reads timestamptz as a UTC <see cref="DateTime"/>.</summary>
    public DateTimeOffset ReceivedAtUtc => new(DateTime.SpecifyKind(ReceivedAt, DateTimeKind.Utc));

    public StoredEventSummary ToSummary() => new(Provider, EventId, EventType, ReceivedAtUtc);
}
