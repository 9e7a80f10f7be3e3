namespace Webhooks.Cli.DeadLetters;

/// <summary>One row of <c>dlq list --json</c>, exactly the contract's fields.</summary>
internal sealed record DeadLetterSummary(
    string? MessageId,
    string? Provider,
    string? EventId,
    string? Type,
    string? Reason,
    string? ExceptionType,
    DateTimeOffset? FailedAt,
    int Attempts);
