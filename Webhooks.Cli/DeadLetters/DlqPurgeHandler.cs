using System.Globalization;
using Webhooks.Cli.Audit;
using Webhooks.Cli.Output;

namespace Webhooks.Cli.DeadLetters;

/// <summary>
/// <c>dlq purge</c>: deletes dead letters for good, never by default. First it looks (leaving every
/// message in place), shows what it would delete and asks; only the messages it showed are then
/// deleted, so one that arrives while the question is open is safe. <c>--yes</c> answers for scripts;
/// <c>--all</c> over <see cref="ForceThreshold"/> messages also needs <c>--force</c>.
/// </summary>
internal sealed class DlqPurgeHandler(DeadLetterQueue queue, AuditLog audit, CliOutput output)
{
    public const string Action = "dlq purge";

    public const int ForceThreshold = 1000;

    // The list shown before the question: enough to recognise them, not a screenful of thousands.
    private const int ShownRows = 20;

    public async Task<int> RunAsync(IReadOnlyCollection<string> ids, bool all, string? type, bool yes, bool force, CancellationToken cancellationToken)
    {
        var selection = DeadLetterSelection.Create(ids, all, type, limit: null);
        await audit.EnsureReadyAsync(cancellationToken);

        await using var connection = await queue.ConnectAsync(cancellationToken);
        var chosen = await LookAsync(connection, selection, cancellationToken);
        var missing = selection.Missing;
        if (chosen.Count == 0)
        {
            output.Line($"Nothing to delete in {queue.Name}.");
            return ReportMissing(missing, 0);
        }

        if (all && chosen.Count > ForceThreshold && !force)
        {
            throw CliException.Usage(
                $"Purging {chosen.Count.ToString("N0", CultureInfo.InvariantCulture)} messages is more than "
                + $"{ForceThreshold.ToString("N0", CultureInfo.InvariantCulture)}: add --force as well as --yes if that is really meant.");
        }

        Show(chosen);
        await output.ConfirmOrStopAsync(
            $"Delete {Counts.Messages(chosen.Count)} from {queue.Name} for good?",
            yes,
            "Nothing was deleted",
            $"the purge of {Counts.Messages(chosen.Count)}",
            cancellationToken);

        var deleted = new List<string>();
        var stopped = false;
        try
        {
            await DeleteAsync(connection, chosen, deleted, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted (Ctrl-C): what was deleted so far is still recorded below.
            stopped = true;
        }

        var notFound = chosen.Count - deleted.Count;
        await audit.RecordAsync(
            new AuditEntry(Action, queue.Name, selection.Describe(), chosen.Count, deleted.Count, notFound, deleted,
                stopped ? "stopped before the end" : notFound > 0 ? $"{notFound} were gone before they could be deleted" : null),
            CancellationToken.None);
        if (stopped)
        {
            throw new CliException($"Stopped before the end: {Counts.Messages(deleted.Count)} deleted, every other message is back in {queue.Name}.");
        }

        output.Line($"Deleted {Counts.Messages(deleted.Count)} from {queue.Name}.");
        if (notFound > 0)
        {
            throw new CliException(
                $"Deleted {deleted.Count} of {Counts.Messages(chosen.Count)}; "
                + $"{notFound} had left {queue.Name} (or have no message id) before they could be deleted.");
        }

        return ReportMissing(missing, deleted.Count);
    }

    /// <summary>The selected messages, looked at and all left in place.</summary>
    private async Task<List<DeadLetter>> LookAsync(RabbitMQ.Client.IConnection connection, DeadLetterSelection selection, CancellationToken cancellationToken)
    {
        var chosen = new List<DeadLetter>();
        await using var hold = await queue.HoldAsync(connection, max: null, cancellationToken);
        if (hold is null)
        {
            output.Note(queue.MissingNote);
            return chosen;
        }

        await foreach (var letter in hold.ReadAsync(cancellationToken))
        {
            if (selection.Take(letter))
            {
                chosen.Add(letter);
            }
        }

        return chosen;
    }

    /// <summary>Deletes exactly the messages shown (by message id), each at most once; every other message goes back to its place.</summary>
    private async Task DeleteAsync(RabbitMQ.Client.IConnection connection, List<DeadLetter> chosen, List<string> deleted, CancellationToken cancellationToken)
    {
        var remaining = chosen.Where(l => l.MessageId is not null).GroupBy(l => l.MessageId!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        await using var hold = await queue.HoldAsync(connection, max: null, cancellationToken);
        if (hold is null)
        {
            return;
        }

        await output.WithProgressAsync($"Deleting from {queue.Name}", hold.Count, async advance =>
        {
            await foreach (var letter in hold.ReadAsync(cancellationToken))
            {
                advance();
                if (letter.MessageId is not null && remaining.TryGetValue(letter.MessageId, out var left) && left > 0)
                {
                    await hold.RemoveAsync(letter, CancellationToken.None);
                    remaining[letter.MessageId] = left - 1;
                    deleted.Add(letter.MessageId);
                    if (deleted.Count == chosen.Count)
                    {
                        break;
                    }
                }
            }

            return 0;
        });
    }

    private void Show(List<DeadLetter> chosen)
    {
        var table = new CliTable(
            CliColumn.Id("Message id"),
            new CliColumn("Provider", Rank: 4),
            CliColumn.Id("Event id", rank: 3),
            new CliColumn("Type", Rank: 2, MinWidth: 12),
            new CliColumn("Reason", Rank: 1, MinWidth: 20));
        foreach (var letter in chosen.Take(ShownRows))
        {
            table.AddRow(letter.MessageId, letter.Provider, letter.EventId, letter.EventType, Cells.OneLine(letter.Reason, 60));
        }

        if (chosen.Count > ShownRows)
        {
            table.Caption = $"... and {(chosen.Count - ShownRows).ToString("N0", CultureInfo.InvariantCulture)} more";
        }

        // The question is for the person at the terminal: the list goes with it, to standard error.
        table.Write(output.ErrorConsole);
    }

    private int ReportMissing(IReadOnlyList<string> missing, int deleted)
    {
        if (missing.Count > 0)
        {
            throw new CliException(
                $"{deleted} deleted, but {missing.Count} of the given ids {(missing.Count == 1 ? "is" : "are")} "
                + $"not in {queue.Name}: {string.Join(", ", missing)}.");
        }

        return CliExitCode.Success;
    }

}
