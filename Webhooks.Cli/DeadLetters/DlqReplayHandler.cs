using System.Globalization;
using Webhooks.Cli.Audit;
using Webhooks.Cli.Output;

namespace Webhooks.Cli.DeadLetters;

/// <summary>
/// <c>dlq replay</c>: each selected message is copied to the queue it failed from (same message id,
/// no fault headers), and removed from the dead-letter queue only after the broker confirmed the
/// copy. Any error leaves that message where it was; messages not selected keep their places.
/// </summary>
internal sealed class DlqReplayHandler(DeadLetterQueue queue, AuditLog audit, CliOutput output)
{
    public const string Action = "dlq replay";

    // Copies awaiting their confirm at once: the broker confirms (and syncs to disk) in batches, so a
    // window is many times faster than one at a time, and each original still waits for its own confirm.
    private const int ConfirmWindow = 64;

    public async Task<int> RunAsync(
        IReadOnlyCollection<string> ids, bool all, string? type, int? limit, bool dryRun, bool json, CancellationToken cancellationToken)
    {
        var selection = DeadLetterSelection.Create(ids, all, type, limit);
        if (!dryRun)
        {
            await audit.EnsureReadyAsync(cancellationToken);
        }

        var outcome = new ReplayOutcome();
        var stopped = false;
        try
        {
            await ReplayAsync(selection, dryRun, outcome, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !dryRun)
        {
            // Interrupted (Ctrl-C): what was replayed so far is still recorded below.
            stopped = true;
        }

        // The hold is closed: every message not replayed is back in its place. Nothing selected is
        // nothing changed, and nothing changed is not recorded.
        if (!dryRun && outcome.Selected > 0)
        {
            await audit.RecordAsync(
                new AuditEntry(Action, $"{queue.Name} -> {string.Join(", ", outcome.Targets)}", selection.Describe(), outcome.Selected, outcome.Replayed.Count,
                    outcome.Failures.Count, [.. outcome.Replayed.Select(l => l.MessageId ?? "")], stopped ? "stopped before the end" : outcome.FirstError),
                CancellationToken.None);
        }

        if (stopped)
        {
            throw new CliException($"Stopped before the end: {Counts.Messages(outcome.Replayed.Count)} replayed, every other message is back in {queue.Name}.");
        }

        if (json)
        {
            output.Json(ReplayReport.Of(queue.Name, queue.DefaultInputQueue, dryRun, outcome, selection.Missing));
        }
        else if (dryRun)
        {
            ShowDryRun(outcome);
        }
        else if (outcome.Replayed.Count > 0 || (outcome.Failures.Count == 0 && selection.IsAll))
        {
            var targets = outcome.Targets.Count == 0 ? queue.DefaultInputQueue : string.Join(", ", outcome.Targets);
            output.Line($"Replayed {Counts.Messages(outcome.Replayed.Count)} from {queue.Name} to {targets}.");
        }

        return Conclude(selection, outcome, dryRun);
    }

    private async Task ReplayAsync(DeadLetterSelection selection, bool dryRun, ReplayOutcome outcome, CancellationToken cancellationToken)
    {
        await using var connection = await queue.ConnectAsync(cancellationToken);
        await using var hold = await queue.HoldAsync(connection, max: null, cancellationToken);
        if (hold is null)
        {
            output.Note(queue.MissingNote);
            return;
        }

        await using var publisher = dryRun ? null : await ReplayPublisher.OpenAsync(connection, cancellationToken);
        await output.WithProgressAsync($"Replaying from {queue.Name}", hold.Count, async advance =>
        {
            var inFlight = new Queue<(DeadLetter Letter, Task<string?> Copy)>();
            try
            {
                await foreach (var letter in hold.ReadAsync(cancellationToken))
                {
                    advance();
                    if (!selection.Take(letter))
                    {
                        continue;
                    }

                    if (publisher is null)
                    {
                        outcome.Replayed.Add(letter);
                    }
                    else
                    {
                        var target = letter.InputQueue ?? queue.DefaultInputQueue;
                        outcome.Targets.Add(target);
                        // Not cancellable: a copy once sent is seen through to its confirm (bounded by the publisher's timeout).
                        inFlight.Enqueue((letter, publisher.PublishAsync(letter, target, CancellationToken.None)));
                        while (inFlight.Count >= ConfirmWindow)
                        {
                            await CompleteAsync(hold, inFlight.Dequeue(), outcome);
                        }

                        if (!publisher.IsOpen || !hold.IsOpen)
                        {
                            // The connection is gone: every message still held is back in the queue already.
                            break;
                        }
                    }

                    if (selection.IsComplete)
                    {
                        break;
                    }
                }
            }
            finally
            {
                // Also when interrupted: the copies already sent are confirmed and their originals
                // removed, so that Ctrl-C does not leave a window's worth of messages in both queues.
                while (inFlight.Count > 0)
                {
                    await CompleteAsync(hold, inFlight.Dequeue(), outcome);
                }
            }

            return 0;
        });

        // Closing the hold (disposal) hands every message not replayed back to its place.
    }

    /// <summary>Removes the original once its copy is confirmed; otherwise leaves it where it is.</summary>
    private static async Task CompleteAsync(DeadLetterHold hold, (DeadLetter Letter, Task<string?> Copy) replay, ReplayOutcome outcome)
    {
        var (letter, copy) = replay;
        var error = await copy;
        if (error is not null)
        {
            outcome.Failures.Add((letter, error));
            return;
        }

        try
        {
            await hold.RemoveAsync(letter, CancellationToken.None);
            outcome.Replayed.Add(letter);
        }
        catch (Exception ex) when (BrokerChannel.IsLost(ex))
        {
            // The copy is confirmed but the original could not be removed: the broker has put it
            // back in the dead-letter queue. Harmless (the processor applies an event once), but said.
            outcome.Failures.Add((letter, $"the copy of {letter.MessageId} was delivered but the original could not be removed, so it is in both queues"));
        }
    }

    private void ShowDryRun(ReplayOutcome outcome)
    {
        var table = new CliTable(
            CliColumn.Id("Message id"),
            new CliColumn("Provider", Rank: 4),
            CliColumn.Id("Event id", rank: 3),
            new CliColumn("Type", Rank: 1, MinWidth: 12),
            new CliColumn("Back to", Rank: 2, MinWidth: 12));
        foreach (var letter in outcome.Replayed)
        {
            table.AddRow(letter.MessageId, letter.Provider, letter.EventId, letter.EventType, letter.InputQueue ?? queue.DefaultInputQueue);
        }

        if (table.RowCount > 0)
        {
            table.Write(output.Console);
        }

        output.Line($"Dry run: {Counts.Messages(outcome.Replayed.Count)} would be replayed from {queue.Name}; nothing was changed.");
    }

    /// <summary>The exit code, or the one sentence that says what did not go as asked.</summary>
    private int Conclude(DeadLetterSelection selection, ReplayOutcome outcome, bool dryRun)
    {
        var missing = selection.Missing;
        if (!selection.IsAll && outcome.Selected == 0)
        {
            var which = missing.Count == 1 ? "the given id is not" : "none of the given ids is";
            throw new CliException($"Nothing {(dryRun ? "would be" : "was")} replayed: {which} in {queue.Name} ({string.Join(", ", missing)}).");
        }

        if (outcome.Failures.Count > 0)
        {
            throw new CliException(
                $"Replayed {outcome.Replayed.Count} of {Counts.Messages(outcome.Selected)}; "
                + $"{outcome.Failures.Count} stayed in {queue.Name} because {outcome.FirstError}.");
        }

        if (missing.Count > 0)
        {
            var done = outcome.Replayed.Count.ToString(CultureInfo.InvariantCulture);
            var verb = dryRun ? "would be replayed" : "were replayed";
            var are = missing.Count == 1 ? "is" : "are";
            throw new CliException($"{done} {verb}, but {missing.Count} of the given ids {are} not in {queue.Name}: {string.Join(", ", missing)}.");
        }

        return CliExitCode.Success;
    }
}
