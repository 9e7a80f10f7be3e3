namespace Webhooks.Cli.DeadLetters;

/// <summary>
/// <c>dlq replay --json</c>: what was (or, with <c>--dry-run</c>, would be) replayed, each message with
/// where it goes back to and, when it stayed in the dead-letter queue, why; and the given ids that
/// are not in the queue.
/// </summary>
internal sealed record ReplayReport(
    bool DryRun,
    string Queue,
    int Selected,
    int Replayed,
    int Failed,
    IReadOnlyList<ReplayedMessage> Messages,
    IReadOnlyList<string> MissingIds)
{
    public static ReplayReport Of(string queue, string defaultInputQueue, bool dryRun, ReplayOutcome outcome, IReadOnlyList<string> missingIds)
    {
        var messages = outcome.Replayed.Select(l => ReplayedMessage.Of(l, defaultInputQueue, error: null))
            .Concat(outcome.Failures.Select(f => ReplayedMessage.Of(f.Letter, defaultInputQueue, f.Error)))
            .ToList();
        return new ReplayReport(dryRun, queue, outcome.Selected, dryRun ? 0 : outcome.Replayed.Count, outcome.Failures.Count, messages, missingIds);
    }
}
