namespace Webhooks.Processor.DeadLetters;

/// <summary>A due row of <c>dead_letter_alerts</c>.</summary>
public sealed record DeadLetterAlert(
    Guid FaultId,
    Guid? MessageId,
    string? Provider,
    string? EventId,
    string? EventType,
    string ExceptionType,
    string Reason,
    DateTime FailedAt,
    DateTime RecordedAt)
{
    /// <summary>Set when the same message was dead-lettered before: this failure came after a replay.</summary>
    public EarlierFailure? Earlier { get; init; }
}
