namespace Webhooks.Processor.DeadLetters;

/// <summary>
/// What came before a dead letter whose message had failed already: when its first alert went out,
/// and the replay that sent it back (from the CLI's <c>cli_audit</c>), when one is recorded.
/// </summary>
public sealed record EarlierFailure(DateTime? FirstAlertedAt, DateTime? ReplayedAt, string? ReplayedBy);
